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
}
