package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizeTest {
    @TempDir
    Path tmp;

    private static String run(LemDb db, int min) {
        StringWriter w = new StringWriter();
        Normalize.run(db, min, new PrintWriter(w, true));
        return w.toString();
    }

    @Test
    void excludesPromptsAndGoldenSetRanksRareDomainsFirstAndGroupsRegions() {
        try (LemDb db = LemDb.openReadWrite(tmp.resolve("n.duckdb"))) {
            db.ensureTable("seeds");
            db.exec("INSERT INTO seeds VALUES"
                    + " ('a.json', 'de-core', 'd1', 'law', 'a prompt already in prompts'),"
                    + " ('a.json', 'de-core', 'd2', 'law', 'a prompt already in golden'),"
                    + " ('a.json', 'de-core', 'd3', 'law', 'a new law prompt'),"
                    + " ('b.json', 'latam-x', 'l1', 'law', 'another law prompt'),"
                    + " ('b.json', 'latam-x', 'l2', 'art', 'an art prompt here'),"
                    + " ('c.json', 'zz', 'z1', 'law', 'a third law prompt'),"
                    + " ('c.json', 'zz', 'z2', 'law', 'short')");
            db.exec("CREATE TABLE prompts (prompt VARCHAR, domain VARCHAR, voice VARCHAR)");
            db.exec("INSERT INTO prompts VALUES ('a prompt already in prompts', 'law', 'v')");
            db.ensureTable("golden_set");
            db.exec("INSERT INTO golden_set (idx, prompt) VALUES (1, 'a prompt already in golden')");
            assertThat(run(db, 10)).isEqualTo("""
                    Seeds table: 7 rows
                    Expansion prompts created: 4 (min length 10, deduped, excluding existing)
                    Priority assigned (underrepresented domains ranked higher).

                    Region distribution:
                      latam           2
                      de              1
                      other           1
                      ----------      4
                      total           4
                    """);
            assertThat(db.queryRows("SELECT seed_id, priority FROM expansion_prompts ORDER BY idx"))
                    .containsExactly(
                            Map.of("seed_id", "d3", "priority", 2),
                            Map.of("seed_id", "l2", "priority", 1),
                            Map.of("seed_id", "l1", "priority", 2),
                            Map.of("seed_id", "z1", "priority", 2));
        }
    }

    @Test
    void emptySeedsIsAnError() {
        try (LemDb db = LemDb.openReadWrite(tmp.resolve("e.duckdb"))) {
            db.ensureTable("seeds");
            assertThatThrownBy(() -> run(db, 50))
                    .isInstanceOf(MlException.class)
                    .hasMessage("seeds table is empty, nothing to normalize");
        }
    }
}
