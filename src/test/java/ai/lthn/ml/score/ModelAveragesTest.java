package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The averages equal, double for double, sums taken field by field in input order by name. */
class ModelAveragesTest {

    @Test
    void theHeuristicFastPathGivesTheByNameAverages() {
        SplittableRandom random = new SplittableRandom(9);
        for (int round = 0; round < 200; round++) {
            ModelAverages averages = new ModelAverages();
            Map<String, Map<String, double[]>> byName = new TreeMap<>();
            for (int i = random.nextInt(60); i > 0; i--) {
                PromptScore s = score(random);
                averages.add(s);
                byName.computeIfAbsent(s.model(), m -> new TreeMap<>());
                s.forEachMetric((field, value) -> {
                    double[] sc = byName.get(s.model()).computeIfAbsent(field, f -> new double[2]);
                    sc[0] += value;
                    sc[1]++;
                });
            }
            Map<String, Map<String, Double>> expected = new LinkedHashMap<>();
            byName.forEach((model, fields) -> {
                Map<String, Double> out = new LinkedHashMap<>();
                fields.forEach((field, sc) -> out.put(field, sc[0] / sc[1]));
                expected.put(model, out);
            });
            Map<String, Map<String, Double>> actual = averages.result();
            assertThat(actual).as("round %d", round).isEqualTo(expected);
            actual.forEach((model, fields) -> assertThat(fields.keySet())
                    .containsExactlyElementsOf(expected.get(model).keySet()));
        }
    }

    private static PromptScore score(SplittableRandom random) {
        String model = "m" + random.nextInt(3);
        HeuristicScores h = random.nextInt(4) == 0
                ? null
                : new HeuristicScores(
                        random.nextInt(5),
                        random.nextInt(5),
                        random.nextInt(50),
                        random.nextInt(5),
                        random.nextInt(5),
                        random.nextInt(5),
                        random.nextInt(5),
                        random.nextInt(2),
                        (random.nextDouble() - 0.5) * 300);
        SemanticScores sem = random.nextInt(3) == 0
                ? new SemanticScores(random.nextInt(11), random.nextInt(11), random.nextInt(11), random.nextInt(11), "")
                : null;
        ContentScores content = random.nextInt(3) == 0
                ? new ContentScores(
                        random.nextInt(11),
                        random.nextInt(11),
                        random.nextInt(11),
                        random.nextInt(11),
                        random.nextInt(11),
                        random.nextInt(11),
                        "")
                : null;
        return new PromptScore("p" + random.nextInt(1000), model, h, sem, content, null);
    }
}
