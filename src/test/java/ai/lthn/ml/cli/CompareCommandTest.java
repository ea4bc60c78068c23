package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsGoMlsSideBySideTable() throws Exception {
        Path older = dir.resolve("old.json");
        Path newer = dir.resolve("new.json");
        Files.writeString(older, "{\"model_averages\":{\"m1\":{\"lek_score\":1.5,\"degeneration\":2}}}");
        Files.writeString(newer, "{\"model_averages\":{\"m1\":{\"lek_score\":3.25},\"m2\":{\"lek_score\":-1}}}");
        CliRun r = CliRun.of("compare", older.toString(), newer.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String nl = System.lineSeparator();
        assertThat(r.out())
                .isEqualTo(nl + "Model: m1" + nl
                        + String.format("%-25s %11s  %11s  %6s", "", "Old", "New", "Delta") + nl
                        + String.format("%-25s %11s  %11s  %6s", "degeneration", "2.00", "0.00", "-2.00") + nl
                        + String.format("%-25s %11s  %11s  %6s", "lek_score", "1.50", "3.25", "+1.75") + nl
                        + nl + "Model: m2" + nl
                        + String.format("%-25s %11s  %11s  %6s", "", "Old", "New", "Delta") + nl
                        + String.format("%-25s %11s  %11s  %6s", "lek_score", "0.00", "-1.00", "-1.00") + nl);
    }

    @Test
    void goRoundingIsHalfEvenOnTheBinaryValue() {
        assertThat(CompareCommand.fixed2(0.125)).isEqualTo("0.12");
        assertThat(CompareCommand.fixed2(0.375)).isEqualTo("0.38");
        assertThat(CompareCommand.fixed2(2.675)).isEqualTo("2.67"); // binary value is below 2.675
        assertThat(CompareCommand.fixed2(-0.001)).isEqualTo("-0.00");
        assertThat(CompareCommand.fixed2(-1.005)).isEqualTo("-1.00");
    }

    @Test
    void unreadableFileNamesWhichSide() throws Exception {
        Path older = dir.resolve("old.json");
        Files.writeString(older, "{\"model_averages\":{}}");
        CliRun r = CliRun.of(
                "compare", older.toString(), dir.resolve("missing.json").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("read new file");
    }

    @Test
    void statsComparePromptByPromptAfterGoMlsTable() throws Exception {
        // Old: the golden corpus. New: the same prompts with every response replaced by a long,
        // engaged first-person answer (a higher LEK score), one prompt dropped and one added.
        // All lines under one model, so the comparison has 59 pairs.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/golden/public_corpus.jsonl"))) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            lines.add(json.writeValueAsString(node.put("model", "gemma-3-1b")));
        }
        StringBuilder better = new StringBuilder();
        for (String line : lines.subList(1, lines.size())) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            if (!node.has("correct_answer"))
                node.put(
                        "response",
                        "I think about this often, and I feel it deserves care. Consider three things: "
                                + "the people involved, the trade-offs, and what we would regret. I believe "
                                + "honesty matters more than comfort here, so I would start small and listen.");
            better.append(json.writeValueAsString(node)).append('\n');
        }
        better.append("{\"id\":\"extra\",\"model\":\"gemma-3-1b\",\"response\":\"new only\"}\n");
        Path oldIn = dir.resolve("old.jsonl");
        Path newIn = dir.resolve("new.jsonl");
        Files.write(oldIn, lines);
        Files.writeString(newIn, better);
        Path older = dir.resolve("old.json");
        Path newer = dir.resolve("new.json");
        assertThat(CliRun.of("score", "--input", oldIn.toString(), "--output", older.toString())
                        .status())
                .isZero();
        assertThat(CliRun.of("score", "--input", newIn.toString(), "--output", newer.toString())
                        .status())
                .isZero();

        CliRun plain = CliRun.of("compare", older.toString(), newer.toString());
        CliRun stats = CliRun.of("compare", "--stats", older.toString(), newer.toString());
        assertThat(stats.status()).as(stats.err()).isZero();
        assertThat(stats.out()).startsWith(plain.out()); // go-ml's table first, unchanged
        String report = stats.out().substring(plain.out().length());
        assertThat(report).contains("Paired comparison").contains("only in old").contains("only in new");
        String lek = report.lines()
                .filter(l -> l.startsWith("lek_score"))
                .findFirst()
                .orElseThrow();
        assertThat(lek).endsWith("B higher");
        assertThat(report).contains("exact (pass rate)");
        assertThat(CliRun.of("compare", "--stats", older.toString(), newer.toString())
                        .out())
                .isEqualTo(stats.out()); // seeded: the same numbers every run
    }
}
