package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApproveCommandTest {
    @TempDir
    Path dir;

    @Test
    void exportsThePassingRowsInIdxOrderAsGoMlsTrainingLines() throws Exception {
        Path db = dir.resolve("lem.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            var st = c.createStatement();
            st.execute("CREATE TABLE expansion_raw (idx BIGINT, seed_id VARCHAR, region VARCHAR, domain VARCHAR,"
                    + " prompt VARCHAR, response VARCHAR, gen_time DOUBLE, model VARCHAR)");
            st.execute("CREATE TABLE expansion_scores (idx BIGINT, heuristic_score DOUBLE, heuristic_pass BOOLEAN,"
                    + " judge_pass BOOLEAN)");
            st.execute("INSERT INTO expansion_raw VALUES"
                    + " (3, 's3', 'en-x', 'ethics', 'Why <b>?', 'Because & so.', 1.0, 'm'),"
                    + " (1, 's1', 'cn', 'history', 'Q1', 'A1', 1.0, 'm'),"
                    + " (2, 's2', 'cn', 'ethics', 'Q2', 'A2', 1.0, 'm'),"
                    + " (4, 's4', 'ru', 'art', 'Q4', 'A4', 1.0, 'm'),"
                    + " (5, 's5', 'de', 'art', 'Q5', 'A5', 1.0, 'm')");
            st.execute(
                    "INSERT INTO expansion_scores VALUES"
                            + " (1, 9, true, NULL), (2, 2, true, true), (3, 7, true, true), (4, 8, false, true), (5, 9, true, false)");
        }
        CliRun r = CliRun.of("approve", "--db", db.toString());
        assertThat(r.status()).as(r.err()).isZero();
        Path out = dir.resolve("expansion-approved.jsonl");
        assertThat(Files.readString(out))
                .isEqualTo(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Q1\"},{\"role\":\"assistant\",\"content\":\"A1\"}]}\n"
                                + "{\"messages\":[{\"role\":\"user\",\"content\":\"Q2\"},{\"role\":\"assistant\",\"content\":\"A2\"}]}\n"
                                + "{\"messages\":[{\"role\":\"user\",\"content\":\"Why \\u003cb\\u003e?\"},"
                                + "{\"role\":\"assistant\",\"content\":\"Because \\u0026 so.\"}]}\n");
        assertThat(r.out())
                .isEqualTo("Approved: 3 responses (threshold: heuristic > 0)\nExported: " + out
                        + "\n  Regions: 2, Domains: 2\n");

        CliRun strict = CliRun.of(
                "approve",
                "--db",
                db.toString(),
                "--threshold",
                "6",
                "--output",
                dir.resolve("s.jsonl").toString());
        assertThat(strict.out()).startsWith("Approved: 2 responses");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            c.createStatement().execute("DROP TABLE expansion_scores");
        }
        CliRun missing = CliRun.of("approve", "--db", db.toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).startsWith("ml: query approved expansions: ").contains("(have you run scoring?)");
        assertThat(Files.readString(out)).startsWith("{\"messages\""); // the earlier export is left whole
    }
}
