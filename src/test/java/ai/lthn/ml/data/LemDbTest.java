package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LemDbTest {
    @TempDir
    Path tmp;

    private Path withGolden() {
        Path file = tmp.resolve("lem.duckdb");
        try (LemDb db = LemDb.openReadWrite(file)) {
            db.ensureTable("golden_set");
            db.exec("INSERT INTO golden_set VALUES (1, 's1', 'ethics', 'calm', 'p', 'r r', 1.5, 3, 2)");
        }
        return file;
    }

    @Test
    void schemaHasEveryTableGoMlCreatesWithItsColumns() {
        try (LemDb db = LemDb.openReadWrite(tmp.resolve("s.duckdb"))) {
            for (String t : LemDb.SCHEMA.keySet()) db.ensureTable(t);
            for (String t : LemDb.SCHEMA.keySet())
                assertThat(db.hasTable(t)).as(t).isTrue();
            List<Map<String, Object>> cols = db.queryRows("SELECT column_name, data_type FROM"
                    + " information_schema.columns WHERE table_name = 'golden_set' ORDER BY ordinal_position");
            assertThat(cols)
                    .extracting(r -> r.get("column_name") + " " + r.get("data_type"))
                    .containsExactly(
                            "idx INTEGER",
                            "seed_id VARCHAR",
                            "domain VARCHAR",
                            "voice VARCHAR",
                            "prompt VARCHAR",
                            "response VARCHAR",
                            "gen_time DOUBLE",
                            "char_count INTEGER",
                            "word_count BIGINT");
            assertThat(db.queryRows("SELECT column_name FROM information_schema.columns WHERE table_name ="
                            + " 'expansion_prompts' ORDER BY ordinal_position"))
                    .extracting(r -> r.get("column_name"))
                    .containsExactly(
                            "idx",
                            "seed_id",
                            "region",
                            "domain",
                            "language",
                            "prompt",
                            "prompt_en",
                            "priority",
                            "status");
            assertThat(db.tableCounts().keySet())
                    .containsExactly(
                            "golden_set",
                            "expansion_prompts",
                            "seeds",
                            "training_examples",
                            "benchmark_questions",
                            "benchmark_results",
                            "checkpoint_scores",
                            "probe_results",
                            "scoring_results");
        }
    }

    @Test
    void readOnlyHandleCannotChangeTheFile() throws Exception {
        Path file = withGolden();
        byte[] before = Files.readAllBytes(file);
        try (LemDb db = LemDb.openReadOnly(file)) {
            assertThat(db.readOnly()).isTrue();
            assertThatThrownBy(() -> db.exec("UPDATE golden_set SET domain = 'x'"))
                    .isInstanceOf(MlIOException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> db.exec("DROP TABLE golden_set")).isInstanceOf(MlIOException.class);
            assertThatThrownBy(() -> db.exec("CREATE TABLE t (a INT)")).isInstanceOf(MlIOException.class);
            assertThatThrownBy(() -> db.updateExpansionStatus(1, "done")).isInstanceOf(MlIOException.class);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (LemDb db = LemDb.openReadOnly(file)) {
            assertThat(db.queryRows("SELECT domain FROM golden_set")).containsExactly(Map.of("domain", "ethics"));
        }
    }

    @Test
    void lockedDownHandleReachesNoFilesOrOtherDatabases() throws Exception {
        Path file = withGolden();
        Path secret = Files.writeString(tmp.resolve("secret.csv"), "a\n1\n");
        Path copy = tmp.resolve("copy.csv");
        try (LemDb db = LemDb.openReadOnly(file)) {
            db.lockDown();
            assertThatThrownBy(() -> db.queryRows("SELECT * FROM read_csv('" + secret + "')"))
                    .isInstanceOf(MlIOException.class);
            assertThatThrownBy(() -> db.exec("COPY golden_set TO '" + copy + "'"))
                    .isInstanceOf(MlIOException.class);
            assertThatThrownBy(() -> db.exec("ATTACH '" + tmp.resolve("other.duckdb") + "' AS o"))
                    .isInstanceOf(MlIOException.class);
            assertThatThrownBy(() -> db.exec("SET enable_external_access = true"))
                    .isInstanceOf(MlIOException.class);
            assertThat(db.scalarLong("SELECT count(*) FROM golden_set")).isEqualTo(1);
        }
        assertThat(copy).doesNotExist();
        assertThat(tmp.resolve("other.duckdb")).doesNotExist();
    }

    @Test
    void missingTableNamesTheCommandThatCreatesIt() {
        try (LemDb db = LemDb.openReadWrite(tmp.resolve("e.duckdb"))) {
            assertThatThrownBy(() -> db.requireTable("seeds"))
                    .isInstanceOf(MlException.class)
                    .hasMessage("no seeds table (run import-all first)");
            assertThatThrownBy(db::countExpansionPrompts)
                    .hasMessage("no expansion_prompts table (run normalize first)");
            assertThatThrownBy(db::countGoldenSet).hasMessage("no golden_set table (run import-all first)");
        }
    }

    @Test
    void queryHelpersFollowGoMl() {
        try (LemDb db = LemDb.openReadWrite(tmp.resolve("q.duckdb"))) {
            db.ensureTable("golden_set");
            db.exec("INSERT INTO golden_set VALUES (2, 's2', 'd', 'v', 'p2', 'long answer', 2.0, 11, 2),"
                    + " (1, 's1', 'd', 'v', 'p1', 'r', 1.0, 1, 1)");
            List<LemDb.GoldenRow> rows = new java.util.ArrayList<>();
            db.forEachGolden(0, rows::add);
            assertThat(rows).extracting(LemDb.GoldenRow::idx).containsExactly(1, 2);
            rows.clear();
            db.forEachGolden(5, rows::add);
            assertThat(rows).containsExactly(new LemDb.GoldenRow(2, "s2", "d", "v", "p2", "long answer", 2.0, 11));
            assertThat(db.countGoldenSet()).isEqualTo(2);

            db.ensureTable("expansion_prompts");
            db.exec(
                    "INSERT INTO expansion_prompts VALUES (1, 'a', 'en', 'd', 'en', 'p', '', 2, 'pending'),"
                            + " (2, 'b', 'en', 'd', 'en', 'q', '', 1, 'pending'), (3, 'c', 'en', 'd', 'en', 'r', '', 1, 'done')");
            assertThat(db.expansionPrompts("pending", 0))
                    .extracting(LemDb.ExpansionPromptRow::idx)
                    .containsExactly(2L, 1L);
            assertThat(db.expansionPrompts("", 2))
                    .extracting(LemDb.ExpansionPromptRow::idx)
                    .containsExactly(2L, 3L);
            assertThat(db.countExpansionPrompts()).containsExactly(3, 2);
            db.updateExpansionStatus(1, "done");
            assertThat(db.countExpansionPrompts()).containsExactly(3, 1);

            db.ensureScoringTables();
            db.writeScoringResult("m", "p1", "heuristic", "lek", 0.5);
            assertThat(db.scalarLong("SELECT count(*) FROM scoring_results WHERE suite = 'heuristic'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void formatValueIsGoPercentV() {
        assertThat(LemDb.formatValue(null)).isEqualTo("NULL");
        assertThat(LemDb.formatValue(1e6)).isEqualTo("1e+06");
        assertThat(LemDb.formatValue(123456.0)).isEqualTo("123456");
        assertThat(LemDb.formatValue(1.5)).isEqualTo("1.5");
        assertThat(LemDb.formatValue(0.0001)).isEqualTo("0.0001");
        assertThat(LemDb.formatValue(0.00001)).isEqualTo("1e-05");
        assertThat(LemDb.formatValue(12L)).isEqualTo("12");
        assertThat(LemDb.formatValue("x")).isEqualTo("x");
    }
}
