package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.data.Export.Example;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExportTest {
    @TempDir
    Path dir;

    @Test
    void percentagesUseGoMlsMessages() {
        Export.validatePercentages(80, 10, 10);
        Export.validatePercentages(100, 0, 0);
        assertThatThrownBy(() -> Export.validatePercentages(-1, 51, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("percentages must be non-negative: train=-1, valid=51, test=50");
        assertThatThrownBy(() -> Export.validatePercentages(80, 10, 5))
                .hasMessage("percentages must sum to 100, got 95 (train=80 + valid=10 + test=5)");
        assertThatThrownBy(() -> Export.validatePercentages(Integer.MAX_VALUE, Integer.MAX_VALUE, 0))
                .hasMessageStartingWith("percentages must sum to 100, got 4294967294 ");
    }

    @Test
    void filterCountsUtf8BytesNotCharacters() {
        assertThat(Export.keep("")).isFalse();
        assertThat(Export.keep("ERROR: " + "x".repeat(100))).isFalse();
        assertThat(Export.keep("error: " + "x".repeat(100))).isTrue(); // case-sensitive, as go-ml
        assertThat(Export.keep("ERROR " + "x".repeat(100))).isTrue(); // the colon is part of the prefix
        assertThat(Export.keep("x".repeat(49))).isFalse();
        assertThat(Export.keep("x".repeat(50))).isTrue();
        assertThat(Export.keep("é".repeat(25))).isTrue(); // 25 chars, 50 bytes
        assertThat(Export.keep("é".repeat(24) + "x")).isFalse(); // 25 chars, 49 bytes
        assertThat(Export.keep("日".repeat(17))).isTrue(); // 17 chars, 51 bytes
        assertThat(Export.keep("日".repeat(16) + "x")).isFalse(); // 49 bytes
        assertThat(Export.keep("😀".repeat(12) + "xx")).isTrue(); // 12 × 4 + 2 = 50 bytes, 26 Java chars
        assertThat(Export.keep("😀".repeat(12) + "x")).isFalse(); // 49 bytes
        assertThat(Export.utf8Length("a\u00e9\u65e5\ud83d\ude00")).isEqualTo(1 + 2 + 3 + 4);
        assertThat(Export.utf8Length("\ud83d")).isEqualTo(3); // a lone surrogate: as U+FFFD

        List<Example> in = List.of(ex("a", "x".repeat(60)), ex("b", "short"), ex("c", "é".repeat(25)));
        assertThat(Export.filterResponses(in)).extracting(Example::prompt).containsExactly("a", "c");
    }

    /** Sizes and order computed by go-ml's SplitData with Go 1.19.8 (seed 42; see GoRandomTest). */
    @ParameterizedTest
    @CsvSource({"0,0,0,0", "1,0,0,1", "7,5,0,2", "100,80,10,10"})
    void splitSizesUseIntegerDivisionAndTestTakesTheRest(int n, int train, int valid, int test) {
        List<Integer> rows = IntStream.range(0, n).boxed().toList();
        Export.Split<Integer> s = Export.splitData(rows, 80, 10, 10, 42);
        assertThat(s.train()).hasSize(train);
        assertThat(s.valid()).hasSize(valid);
        assertThat(s.test()).hasSize(test);
        List<Integer> all = new ArrayList<>(s.train());
        all.addAll(s.valid());
        all.addAll(s.test());
        assertThat(all).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(rows).isSorted(); // the input is not shuffled in place
    }

    @Test
    void splitOrderIsGoMls() {
        // go-ml: SplitData([0..7), 34, 33, 33, 42) → [1 6] [4 5] [3 0 2] (Go 1.19.8).
        Export.Split<Integer> s = Export.splitData(List.of(0, 1, 2, 3, 4, 5, 6), 34, 33, 33, 42);
        assertThat(s.train()).containsExactly(1, 6);
        assertThat(s.valid()).containsExactly(4, 5);
        assertThat(s.test()).containsExactly(3, 0, 2);
    }

    @Test
    void trainingLinesAreGoMarshalOutput() throws Exception {
        Path f = dir.resolve("t.jsonl");
        Export.writeTrainingJsonl(f, List.of(ex("<a & b>", "line\nbreak \u2028 é"), ex("q", "r")));
        assertThat(Files.readString(f, StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"\\u003ca \\u0026 b\\u003e\"},"
                                + "{\"role\":\"assistant\",\"content\":\"line\\nbreak \\u2028 é\"}]}\n"
                                + "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"r\"}]}\n");
        Export.writeTrainingJsonl(f, List.of());
        assertThat(Files.size(f)).isZero();
    }

    @Test
    void parquetReportsAndSkipsUnparsableLinesAndTakesTheFirstOfEachRole() throws Exception {
        Files.writeString(
                dir.resolve("train.jsonl"),
                String.join(
                        "\n",
                        "{\"messages\":[{\"role\":\"system\",\"content\":\"be kind\"},{\"role\":\"user\",\"content\":\"p1\"},"
                                + "{\"role\":\"assistant\",\"content\":\"r1\"},{\"role\":\"user\",\"content\":\"p2\"}]}",
                        "",
                        "not json",
                        "  {\"Messages\":[{\"Role\":\"user\",\"Content\":\"<q>\"}]}  ",
                        "{\"messages\":{\"role\":\"user\"}}",
                        "{\"other\":1}",
                        "{\"messages\":[]} trailing"),
                StandardCharsets.UTF_8);
        Export.ParquetResult r = Export.exportParquet(dir, null);
        assertThat(r.rows()).isEqualTo(3);
        assertThat(r.skipped()).hasSize(3);
        assertThat(r.skipped().get(0)).startsWith(dir.resolve("train.jsonl") + ":3: ");
        assertThat(r.skipped().get(1)).startsWith(dir.resolve("train.jsonl") + ":5: ");
        assertThat(r.skipped().get(2)).startsWith(dir.resolve("train.jsonl") + ":7: ");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT * FROM read_parquet('" + dir.resolve("parquet/train.parquet") + "')")) {
            List<String> rows = new ArrayList<>();
            while (rs.next())
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            assertThat(rows)
                    .containsExactly(
                            "p1|r1|be kind|[{\"role\":\"system\",\"content\":\"be kind\"},{\"role\":\"user\",\"content\":\"p1\"},"
                                    + "{\"role\":\"assistant\",\"content\":\"r1\"},{\"role\":\"user\",\"content\":\"p2\"}]",
                            "<q>|||[{\"role\":\"user\",\"content\":\"\\u003cq\\u003e\"}]",
                            "|||null"); // go-ml: json.Marshal of a nil slice
        }
        assertThat(Files.exists(dir.resolve("parquet/valid.parquet"))).isFalse();
    }

    @Test
    void anEmptySplitWritesNoParquetAndRemovesAStaleOne() throws Exception {
        Files.writeString(dir.resolve("valid.jsonl"), "\n\n");
        Path stale = Files.createDirectories(dir.resolve("parquet")).resolve("valid.parquet");
        Files.writeString(stale, "old");
        assertThat(Export.exportParquet(dir, null).rows()).isZero();
        assertThat(Files.exists(stale)).isFalse();
        try (var files = Files.list(dir.resolve("parquet"))) {
            assertThat(files).isEmpty(); // no temporary file left
        }
    }

    private static Example ex(String prompt, String response) {
        return new Example(prompt, response);
    }
}
