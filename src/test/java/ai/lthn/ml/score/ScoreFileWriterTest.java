package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.internal.Json;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The streaming score-file writer writes data binding's bytes, and declines what it cannot. */
class ScoreFileWriterTest {
    private static final String[] NAMES = {
        "gemma-3-1b", "a<b>&c", "line\u2028sep\u2029", "quote\"back\\slash", "tab\tnl\n", "ünï 🙂", "ctl\u0001", ""
    };
    private static final double[] NUMBERS = {
        0, 1, -105, 0.1 + 0.2, 1e-7, 1.5e21, 123456789.125, -30.870435217608804, 1e-6, 9.999999e20, Double.MIN_VALUE
    };

    @Test
    void writesTheBytesDataBindingWrites() throws Exception {
        SplittableRandom random = new SplittableRandom(18);
        for (int round = 0; round < 300; round++) {
            ScorerOutput file = generated(random);
            assertThat(ScoreFileWriter.handles(file)).isTrue();
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            ScoreFileWriter.write(file, streamed);
            // bytes, as ScorerOutput.write has always written them (a String is written by another generator)
            String bound = new String(Json.goWriter().writeValueAsBytes(file), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(streamed.toString(java.nio.charset.StandardCharsets.UTF_8)
                            .split("\n", -1))
                    .as("round %d", round)
                    .containsExactly(bound.split("\n", -1));
        }
    }

    @Test
    void declinesFilesWithOtherScores() {
        StandardScores exact = new StandardScores(0, 0, 0, 0, 0, 0, true, "4", "4", "");
        PromptScore withExact = new PromptScore("p1", "m", heuristic(new SplittableRandom(1)), exact);
        ScorerOutput listed = new ScorerOutput(null, Map.of(), Map.of("m", List.of(withExact)));
        assertThat(ScoreFileWriter.handles(listed)).isFalse();

        CompactScores columns = new CompactScores("m");
        columns.append(withExact);
        assertThat(ScoreFileWriter.handles(new ScorerOutput(null, Map.of(), Map.of("m", columns))))
                .isFalse();
    }

    @Test
    void aWrittenFileReadsBackEqual() throws Exception {
        ScorerOutput file = generated(new SplittableRandom(3));
        java.nio.file.Path path = java.nio.file.Files.createTempFile("scores", ".json");
        try {
            file.write(path);
            ScorerOutput read = ScorerOutput.read(path);
            assertThat(read.metadata()).isEqualTo(file.metadata());
            assertThat(read.perPrompt().keySet()).isEqualTo(file.perPrompt().keySet());
            read.perPrompt()
                    .forEach((model, scores) -> assertThat(scores)
                            .containsExactlyElementsOf(file.perPrompt().get(model)));
        } finally {
            java.nio.file.Files.deleteIfExists(path);
        }
    }

    private static ScorerOutput generated(SplittableRandom random) {
        List<String> suites = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> List.of();
            default -> List.of("heuristic", pick(random, NAMES));
        };
        ScorerOutput.Metadata metadata =
                new ScorerOutput.Metadata(pick(random, NAMES), "", "2026-11-29T05:47:16Z", "", suites);
        Map<String, Map<String, Double>> averages = new LinkedHashMap<>();
        Map<String, List<PromptScore>> perPrompt = new LinkedHashMap<>();
        int models = random.nextInt(4);
        for (int m = 0; m < models; m++) {
            String model = pick(random, NAMES) + m;
            Map<String, Double> fields = new LinkedHashMap<>();
            for (int f = random.nextInt(5); f > 0; f--)
                fields.put(pick(random, NAMES) + f, random.nextInt(10) == 0 ? null : number(random));
            averages.put(model, fields);
            List<PromptScore> scores;
            if (random.nextBoolean()) {
                CompactScores columns = new CompactScores(model);
                for (int i = random.nextInt(20); i > 0; i--) columns.append(score(random, model));
                scores = columns;
            } else {
                scores = new ArrayList<>();
                for (int i = random.nextInt(20); i > 0; i--) scores.add(score(random, model));
            }
            perPrompt.put(model, scores);
        }
        return new ScorerOutput(metadata, averages, perPrompt);
    }

    private static PromptScore score(SplittableRandom random, String model) {
        HeuristicScores h = random.nextInt(8) == 0 ? null : heuristic(random);
        return new PromptScore(pick(random, NAMES) + random.nextInt(1000), model, h, null);
    }

    private static HeuristicScores heuristic(SplittableRandom random) {
        int[] c = new int[8];
        for (int i = 0; i < c.length; i++)
            c[i] = random.nextInt(4) == 0 ? random.nextInt(-5, 100_000) : random.nextInt(6);
        double lek = random.nextBoolean()
                ? HeuristicScores.lek(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])
                : number(random);
        return new HeuristicScores(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], lek);
    }

    private static double number(SplittableRandom random) {
        return random.nextBoolean() ? NUMBERS[random.nextInt(NUMBERS.length)] : (random.nextDouble() - 0.5) * 200;
    }

    private static String pick(SplittableRandom random, String[] from) {
        return from[random.nextInt(from.length)];
    }
}
