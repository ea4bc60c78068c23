package ai.lthn.ml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ResultsDb on a real DuckDB file. */
class ResultsDbTest {
    @TempDir
    Path dir;

    private static List<ResultsDb.ProbeRow> probes(boolean... passed) {
        List<ResultsDb.ProbeRow> out = new java.util.ArrayList<>();
        for (int i = 0; i < passed.length; i++) out.add(new ResultsDb.ProbeRow("p" + i, passed[i], "answer " + i));
        return out;
    }

    @Test
    void writesACheckpointAndReplacesItOnRewrite() {
        Path file = dir.resolve("lem.duckdb");
        try (ResultsDb db = ResultsDb.openReadWrite(file)) {
            db.ensureScoringTables();
            db.ensureScoringTables(); // idempotent
            db.writeCheckpoint("gemma-3-1b", "r1", "G1 @100", 100, 2, 3, probes(true, true, false));
            db.writeCheckpoint("gemma-3-1b", "r1", "G1 @100", 100, 3, 3, probes(true, true, true));
            List<Map<String, Object>> scores = db.queryRows("SELECT correct, accuracy FROM checkpoint_scores");
            assertThat(scores).hasSize(1);
            assertThat(((Number) scores.get(0).get("correct")).intValue()).isEqualTo(3);
            assertThat(((Number) scores.get(0).get("accuracy")).doubleValue()).isEqualTo(100.0);
            assertThat(db.queryRows("SELECT COUNT(*) AS n FROM probe_results WHERE passed")
                            .get(0)
                            .get("n"))
                    .isEqualTo(3L);
            assertThat(db.tableCounts())
                    .containsEntry("checkpoint_scores", 1L)
                    .containsEntry("probe_results", 3L)
                    .containsEntry("scoring_results", 0L)
                    .doesNotContainKey("golden_set");
        }
        try (ResultsDb ro = ResultsDb.openReadOnly(file)) {
            assertThat(ro.queryRows("SELECT label FROM checkpoint_scores WHERE run_id = ?", "r1")
                            .get(0))
                    .containsEntry("label", "G1 @100");
        }
    }

    @Test
    void aFailedCheckpointWriteLeavesNothingBehind() {
        try (ResultsDb db = ResultsDb.openReadWrite(dir.resolve("tx.duckdb"))) {
            db.ensureScoringTables();
            List<ResultsDb.ProbeRow> bad =
                    List.of(new ResultsDb.ProbeRow("p0", true, "a"), new ResultsDb.ProbeRow(null, true, "no id"));
            assertThatThrownBy(() -> db.writeCheckpoint("m", "r9", "L", 1, 1, 2, bad))
                    .isInstanceOf(MlIOException.class)
                    .hasMessageContaining("write checkpoint r9/L");
            assertThat(db.tableCounts()).containsEntry("checkpoint_scores", 0L).containsEntry("probe_results", 0L);
        }
    }

    @Test
    void errorsNameTheFile() {
        Path file = dir.resolve("q.duckdb");
        try (ResultsDb db = ResultsDb.openReadWrite(file)) {
            assertThatThrownBy(() -> db.queryRows("SELECT * FROM nowhere")).hasMessageContaining(file.toString());
        }
        assertThatThrownBy(() -> ResultsDb.openReadOnly(dir.resolve("absent.duckdb")))
                .isInstanceOf(MlIOException.class)
                .hasMessageContaining("absent.duckdb");
    }

    @Test
    void aCheckpointRewrittenWithFewerProbesKeepsOnlyTheNewOnes() {
        try (ResultsDb db = ResultsDb.openReadWrite(dir.resolve("rewrite.duckdb"))) {
            db.ensureScoringTables();
            db.writeCheckpoint("m", "r1", "L", 100, 1, 3, probes(true, false, false));
            db.writeCheckpoint("m", "r1", "L", 100, 1, 1, probes(true));
            db.writeCheckpoint("m", "r1", "other", 100, 2, 2, probes(true, true)); // another label: kept
            assertThat(db.queryRows("SELECT probe_id FROM probe_results WHERE label = 'L' ORDER BY probe_id"))
                    .extracting(r -> r.get("probe_id"))
                    .containsExactly("p0");
            assertThat(db.tableCounts()).containsEntry("probe_results", 3L);
        }
    }

    @Test
    void aFailingRollbackDoesNotHideTheOriginalError() throws Exception {
        java.sql.Connection real = java.sql.DriverManager.getConnection(
                "jdbc:duckdb:" + dir.resolve("rb.duckdb").toAbsolutePath());
        // a connection whose rollback fails, around a real DuckDB one
        java.sql.Connection failingRollback = (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {java.sql.Connection.class}, (proxy, m, args) -> {
                    if (m.getName().equals("rollback")) throw new java.sql.SQLException("rollback failed: disk gone");
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (ResultsDb db = ResultsDb.wrap(failingRollback, dir.resolve("rb.duckdb"))) {
            db.ensureScoringTables();
            List<ResultsDb.ProbeRow> bad = List.of(new ResultsDb.ProbeRow(null, true, "no id"));
            assertThatThrownBy(() -> db.writeCheckpoint("m", "r9", "L", 1, 1, 2, bad))
                    .isInstanceOf(MlIOException.class)
                    .hasMessageNotContaining("rollback failed")
                    .hasMessageContaining("probe_id")
                    .satisfies(e -> assertThat(e.getCause().getCause().getSuppressed())
                            .anySatisfy(x -> assertThat(x).hasMessageContaining("rollback failed")));
        }
    }
}
