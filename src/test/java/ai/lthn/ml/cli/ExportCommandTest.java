package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @TempDir
    Path dir;

    /**
     * The golden set: idx 0..199; every 17th an ERROR: reply, every 13th 20 × "é" (20 chars, 40
     * bytes: read by --min-chars 10, then dropped by go-ml's 50-byte filter), every 11th 30 × "é"
     * (60 bytes: kept), every 19th "tiny" (dropped by the query), else an ASCII reply.
     */
    static String response(int i) {
        if (i % 17 == 0) return "ERROR: " + "x".repeat(60);
        if (i % 13 == 0) return "é".repeat(20);
        if (i % 11 == 0) return "é".repeat(30);
        if (i % 19 == 0) return "tiny";
        return "Response " + i + ": " + "ok ".repeat(15);
    }

    static String prompt(int i) {
        return "Prompt " + i + " <&> \"q\"";
    }

    // Produced by running go-ml's FilterResponses and SplitData (commit 3918051, copied into a
    // throwaway /tmp program) with Go 1.19.8 on the same 200 rows after `char_count >= 10`,
    // percentages 80/10/10, seed 42; the numbers are the rows' idx, in the order of each file.
    static final List<Integer> TRAIN =
            ids("118, 148, 106, 29, 158, 163, 63, 16, 44, 154, 186, 167, 60, 2, 165, 124, 74, 90, 55, 46, 100, 81, 62,"
                    + " 70, 40, 108, 181, 198, 149, 50, 54, 134, 150, 176, 168, 180, 3, 129, 189, 32, 53, 4, 61, 93,"
                    + " 135, 80, 18, 144, 177, 14, 8, 185, 188, 42, 103, 192, 128, 64, 184, 125, 24, 86, 1, 45, 126,"
                    + " 75, 139, 96, 56, 15, 164, 87, 137, 113, 123, 12, 141, 161, 43, 132, 27, 97, 92, 89, 173, 9, 47,"
                    + " 58, 69, 98, 49, 140, 28, 99, 105, 67, 160, 35, 146, 88, 20, 84, 115, 31, 5, 147, 162, 30, 71,"
                    + " 107, 178, 23, 25, 109, 79, 77, 197, 82, 101, 194, 36, 112, 111, 94, 183, 131, 145, 151, 10,"
                    + " 159");
    static final List<Integer> VALID = ids("142, 116, 174, 33, 193, 175, 155, 6, 110, 37, 48, 59, 21, 172, 166, 179");
    static final List<Integer> TEST = ids("127, 83, 121, 22, 66, 196, 138, 122, 191, 72, 157, 199, 7, 41, 120, 11, 73");

    static List<Integer> ids(String csv) {
        return Arrays.stream(csv.split(", ")).map(Integer::valueOf).toList();
    }

    Path goldenSet(int rows) throws Exception {
        Path db = dir.resolve("golden.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE golden_set (idx INT, seed_id VARCHAR, domain VARCHAR, voice VARCHAR,"
                        + " prompt VARCHAR, response VARCHAR, gen_time DOUBLE, char_count INT)");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO golden_set VALUES (?, ?, 'ethics', 'plain', ?, ?, 1.5, length(?))")) {
                for (int i = rows - 1; i >= 0; i--) { // inserted backwards: the query's ORDER BY idx matters
                    ps.setInt(1, i);
                    ps.setString(2, String.format("g%03d", i));
                    ps.setString(3, prompt(i));
                    ps.setString(4, response(i));
                    ps.setString(5, response(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return db;
    }

    static List<Integer> idsIn(Path jsonl) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            JsonNode n = Json.reader().readTree(line);
            String p = n.get("messages").get(0).get("content").asText();
            out.add(Integer.valueOf(p.split(" ")[1]));
        }
        return out;
    }

    @Test
    void splitsExactlyAsGoMlDoes() throws Exception {
        Path db = goldenSet(200);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("export", "--db", db.toString(), "--output-dir", out.toString(), "--min-chars", "10");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("Loaded 190 golden set rows (min 10 chars)\n"
                        + "After filtering: 163 responses\n"
                        + "Split: train=130, valid=16, test=17\n"
                        + "  train.jsonl: 130 examples\n"
                        + "  valid.jsonl: 16 examples\n"
                        + "  test.jsonl: 17 examples\n");
        assertThat(idsIn(out.resolve("train.jsonl"))).isEqualTo(TRAIN);
        assertThat(idsIn(out.resolve("valid.jsonl"))).isEqualTo(VALID);
        assertThat(idsIn(out.resolve("test.jsonl"))).isEqualTo(TEST);
        // go-ml's exact line: json.Marshal's field order and HTML escapes.
        assertThat(Files.readAllLines(out.resolve("valid.jsonl")).get(0))
                .isEqualTo(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Prompt 142 \\u003c\\u0026\\u003e \\\"q\\\"\"},"
                                + "{\"role\":\"assistant\",\"content\":\"Response 142: " + "ok ".repeat(15) + "\"}]}");
        assertThat(Files.exists(out.resolve("parquet"))).isFalse();
    }

    @Test
    void parquetHoldsGoMlsColumnsInFileOrder() throws Exception {
        Path db = goldenSet(200);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of(
                "export", "--db", db.toString(), "--output-dir", out.toString(), "--min-chars", "10", "--parquet");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).endsWith("  test.jsonl: 17 examples\n  Parquet: 163 total rows\n");
        assertThat(r.err()).isEmpty();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            for (String split : List.of("train", "valid", "test")) {
                String file = "'" + out.resolve("parquet").resolve(split + ".parquet") + "'";
                List<String> jsonl = Files.readAllLines(out.resolve(split + ".jsonl"));
                try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet(" + file + ")")) {
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(4);
                    List<String> names = new ArrayList<>();
                    for (int i = 1; i <= 4; i++) {
                        names.add(rs.getMetaData().getColumnName(i));
                        assertThat(rs.getMetaData().getColumnTypeName(i)).isEqualTo("VARCHAR");
                    }
                    assertThat(names).containsExactly("prompt", "response", "system", "messages");
                    int row = 0;
                    while (rs.next()) {
                        JsonNode msgs = Json.reader().readTree(jsonl.get(row)).get("messages");
                        assertThat(rs.getString("prompt"))
                                .isEqualTo(msgs.get(0).get("content").asText());
                        assertThat(rs.getString("response"))
                                .isEqualTo(msgs.get(1).get("content").asText());
                        assertThat(rs.getString("system")).isEmpty();
                        // Go re-marshals the messages array: the line minus its {"messages": wrapper.
                        assertThat(rs.getString("messages"))
                                .isEqualTo(jsonl.get(row)
                                        .substring(
                                                "{\"messages\":".length(),
                                                jsonl.get(row).length() - 1));
                        row++;
                    }
                    assertThat(row).isEqualTo(jsonl.size());
                }
                try (ResultSet rs =
                        st.executeQuery("SELECT DISTINCT compression FROM parquet_metadata(" + file + ")")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualToIgnoringCase("SNAPPY");
                    assertThat(rs.next()).isFalse();
                }
                try (ResultSet rs = st.executeQuery("SELECT name, repetition_type FROM parquet_schema(" + file + ")"
                        + " WHERE name <> 'duckdb_schema' ORDER BY name")) {
                    List<String> schema = new ArrayList<>();
                    while (rs.next()) schema.add(rs.getString(1) + " " + rs.getString(2));
                    assertThat(schema) // go-ml's required (not optional) string columns
                            .containsExactly(
                                    "messages REQUIRED", "prompt REQUIRED", "response REQUIRED", "system REQUIRED");
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet(" + file
                        + ") WHERE prompt IS NULL" + " OR response IS NULL OR system IS NULL OR messages IS NULL")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                }
            }
        }
    }

    @Test
    void badPercentagesAreAUsageError() throws Exception {
        CliRun r = CliRun.of("export", "--db", "x.duckdb", "--output-dir", dir.toString(), "--train", "90");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("percentages must sum to 100, got 110 (train=90 + valid=10 + test=10)");
        CliRun neg = CliRun.of("export", "--db", "x.duckdb", "--output-dir", dir.toString(), "--test", "-10");
        assertThat(neg.status()).isEqualTo(2);
        assertThat(neg.err()).contains("percentages must be non-negative: train=80, valid=10, test=-10");
    }

    @Test
    void outputDirIsRequired() {
        CliRun r = CliRun.of("export", "--db", "x.duckdb");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--output-dir");
    }

    @Test
    void missingGoldenSetNamesImportAll() throws Exception {
        Path db = dir.resolve("empty.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE other (x INT)");
        }
        CliRun r = CliRun.of(
                "export",
                "--db",
                db.toString(),
                "--output-dir",
                dir.resolve("o").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("golden_set").contains("import-all");
        assertThat(Files.exists(dir.resolve("o"))).isFalse();
    }

    @Test
    void aTargetThatCannotBeWrittenLeavesThePreviousExportWhole() throws Exception {
        Path db = goldenSet(50);
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("train.jsonl"), "old train\n");
        Files.writeString(out.resolve("valid.jsonl"), "old valid\n");
        Files.createDirectories(out.resolve("test.jsonl")); // the last target is a directory
        CliRun r = CliRun.of("export", "--db", db.toString(), "--output-dir", out.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("test.jsonl").contains("is a directory");
        assertThat(Files.readString(out.resolve("train.jsonl"))).isEqualTo("old train\n");
        assertThat(Files.readString(out.resolve("valid.jsonl"))).isEqualTo("old valid\n");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("train.jsonl", "valid.jsonl", "test.jsonl");
        }
    }
}
