package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.data.LemDb;
import ai.lthn.ml.data.LemFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import-all, normalize, inventory, coverage, expand-status and query end to end through Main.run. */
class DatasetCommandsTest {
    @TempDir
    Path tmp;

    Path data;
    String db;

    @BeforeEach
    void fixtures() throws Exception {
        data = LemFixtures.dataDir(tmp);
        db = tmp.resolve("lem.duckdb").toString();
    }

    private CliRun ml(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--db";
        all[1] = db;
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    private CliRun imported() {
        CliRun r = ml("import-all", "--skip-m3", "--data-dir", data.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return r;
    }

    private List<Map<String, Object>> rows(String sql) {
        try (LemDb d = LemDb.openReadOnly(Path.of(db))) {
            return d.queryRows(sql);
        }
    }

    @Test
    void importAllPrintsGoMlsSummaryAndNamesMalformedLines() {
        CliRun r = imported();
        assertThat(r.out()).isEqualTo("""
                  WARNING: %1$s/gold-15k.jsonl:5: malformed JSON: Unexpected end-of-input in field name
                  golden_set: 4 rows (1 malformed skipped)
                  WARNING: %1$s/training/gold-full/train.jsonl:2: not a {"messages": [...]} object: \
                Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', \
                'true' or 'false')
                  training_examples: 4 rows (1 malformed skipped)
                  benchmark_results: 3 rows
                  benchmark_questions: 2 rows
                  seeds: 7 rows

                ==================================================
                LEM Database Import Complete
                ==================================================
                  golden_set                       4
                  training_examples                4
                  benchmark_results                3
                  benchmark_questions              2
                  seeds                            7
                  -----------------------------------
                  TOTAL                           20
                  malformed (skipped)              2

                Database: %2$s
                """.formatted(data, db));
    }

    @Test
    void importAllRowsHaveGoMlsValues() {
        imported();
        assertThat(rows("SELECT idx, seed_id, domain, voice, gen_time, char_count, word_count FROM golden_set"
                        + " ORDER BY idx LIMIT 1"))
                .containsExactly(Map.of(
                        "idx",
                        1,
                        "seed_id",
                        "s1",
                        "domain",
                        "ethics",
                        "voice",
                        "calm",
                        "gen_time",
                        1.5,
                        "char_count",
                        34,
                        "word_count",
                        6L));
        assertThat(rows("SELECT source, split, count(*) AS n FROM training_examples GROUP BY ALL ORDER BY ALL"))
                .extracting(row -> row.get("source") + "/" + row.get("split") + "=" + row.get("n"))
                .containsExactly("gold-full/train=1", "training/train=2", "training/valid=1");
        Map<String, Object> t = rows("SELECT * FROM training_examples LIMIT 1").get(0);
        assertThat(t.get("prompt")).isEqualTo("Hi <there>");
        assertThat(t.get("response")).isEqualTo("Hello — friend");
        assertThat(t.get("num_turns")).isEqualTo(2);
        assertThat(t.get("char_count")).isEqualTo(16); // Go's len: UTF-8 bytes
        assertThat(t.get("full_messages"))
                .isEqualTo("[{\"role\":\"user\",\"content\":\"Hi \\u003cthere\\u003e\"},{\"role\":\"assistant\","
                        + "\"content\":\"Hello — friend\"},{\"role\":\"user\",\"content\":\"More\"},"
                        + "{\"role\":\"assistant\",\"content\":\"Sure\"}]");
        assertThat(rows("SELECT source, id, benchmark, model, elapsed_seconds, domain FROM benchmark_results"
                        + " ORDER BY source DESC, id"))
                .extracting(row -> row.values().toString())
                .containsExactly(
                        "[results, 1e+06, gsm8k, m1, 0.25, math]",
                        "[results, <nil>, gsm8k, m1, 0.0, ]",
                        "[benchmark, b1, lem, m2, 3.0, <nil>]");
        assertThat(rows("SELECT benchmark, id, correct_answers, incorrect_answers, category FROM"
                        + " benchmark_questions ORDER BY id"))
                .extracting(row -> row.values().toString())
                .containsExactly(
                        "[truthfulqa, 1, [\"No\",\"It is round\"], [\"Yes\"], Science]",
                        "[truthfulqa, q2, null, null, Misconceptions]");
        assertThat(rows("SELECT source_file, region, seed_id, domain FROM seeds ORDER BY source_file, seed_id"))
                .extracting(row -> row.values().toString())
                .containsExactly(
                        "[en-core.json, en-core, e0, ethics]",
                        "[en-core.json, en-core, e1, ethics]",
                        "[en-core.json, en-core, e2, ethics]",
                        "[en-core.json, en-core, e3, science]",
                        "[regional/cn-values.json, cn-values, , ]",
                        "[regional/cn-values.json, cn-values, c1, history]",
                        "[ru-misc.json, ru-misc, r1, ethics]");
    }

    @Test
    void importAllKeepsTablesWhoseSourcesAreMissing() throws Exception {
        imported();
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun r = ml("import-all", "--skip-m3", "--data-dir", empty.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("""
                          training_examples: no source files found, existing table kept
                          benchmark_results: no source files found, existing table kept
                          benchmark_questions: no source files found, existing table kept
                          seeds: no source files found, existing table kept
                        """);
        assertThat(rows("SELECT count(*) AS n FROM seeds")).containsExactly(Map.of("n", 7L));
        assertThat(rows("SELECT count(*) AS n FROM golden_set")).containsExactly(Map.of("n", 4L));
    }

    @Test
    void importAllReportsAnOverlongLineAndReadsOn() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("long"));
        String ok = "{\"idx\": 1, \"response\": \"a b\"}\n";
        Files.writeString(
                d.resolve("gold-15k.jsonl"),
                ok + "{\"idx\": 2, \"response\": \"" + "x".repeat(1024 * 1024) + "\"}\n" + ok.replace("1", "3"));
        CliRun r = ml("import-all", "--skip-m3", "--data-dir", d.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .startsWith("  WARNING: " + d + "/gold-15k.jsonl:2: line over 1048576 bytes\n"
                        + "  golden_set: 2 rows (1 malformed skipped)\n");
        assertThat(rows("SELECT idx FROM golden_set ORDER BY idx")).containsExactly(Map.of("idx", 1), Map.of("idx", 3));
    }

    @Test
    void goldenSetCountsAreDuckDbsOwnLengthAndSpaces() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("chars"));
        Files.writeString(d.resolve("gold-15k.jsonl"), """
                {"idx": 1, "response": "e\u0301t\u00e9 \ud83d\udc68\u200d\ud83d\udc69  two  spaces "}
                {"idx": 2, "response": ""}
                {"idx": 3}
                {"idx": 4, "response": "CR line"}
                """);
        CliRun r = ml("import-all", "--skip-m3", "--data-dir", d.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(rows("SELECT count(*) AS n FROM golden_set WHERE char_count IS NOT DISTINCT FROM"
                        + " length(response)::INT AND word_count IS NOT DISTINCT FROM"
                        + " length(response) - length(replace(response, ' ', '')) + 1"))
                .containsExactly(Map.of("n", 4L));
        assertThat(rows("SELECT response FROM golden_set WHERE idx = 4"))
                .containsExactly(Map.of("response", "CR line"));
    }

    @Test
    void normalizeBuildsExpansionPromptsAsGoMl() {
        imported();
        CliRun r = ml("normalize", "--min-length", "20");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Seeds table: 7 rows
                Expansion prompts created: 5 (min length 20, deduped, excluding existing)
                Priority assigned (underrepresented domains ranked higher).

                Region distribution:
                  cn              2
                  en              2
                  ru              1
                  ----------      5
                  total           5
                """);
        // deduplicated (e0 kept over e1, the least seed_id), the golden-set prompt left out,
        // numbered by region, domain, seed_id before the exclusion (so idx 5, e3, is a gap, as in
        // go-ml); rarer domains get the lower priority number
        assertThat(rows("SELECT idx, seed_id, region, domain, language, prompt_en, priority, status"
                        + " FROM expansion_prompts ORDER BY idx"))
                .extracting(row -> row.values().toString())
                .containsExactly(
                        "[1, , cn-values, , en, , 1, pending]",
                        "[2, c1, cn-values, history, en, , 1, pending]",
                        "[3, e0, en-core, ethics, en, , 3, pending]",
                        "[4, e2, en-core, ethics, en, , 3, pending]",
                        "[6, r1, ru-misc, ethics, en, , 3, pending]");
        CliRun shortest = ml("normalize", "--min-length", "1000");
        assertThat(shortest.out())
                .isEqualTo("Seeds table: 7 rows\n"
                        + "Expansion prompts created: 0 (min length 1000, deduped, excluding existing)\n"
                        + "No new expansion prompts to process.\n");
    }

    @Test
    void normalizeWithoutSeedsNamesImportAll() {
        CliRun r = ml("normalize");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ml: no seeds table (run import-all first)\n");
    }

    @Test
    void inventoryCoverageAndExpandStatusPrintGoMlsReports() {
        imported();
        ml("normalize", "--min-length", "20");
        CliRun inv = ml("inventory");
        assertThat(inv.out()).isEqualTo("""
                DuckDB Inventory
                ----------------------------------------------------
                  golden_set                      4 rows  (0.0% of 15000 target)
                  expansion_prompts               5 rows
                  seeds                           7 rows
                  training_examples               4 rows  (2 sources)
                  benchmark_questions             2 rows
                  benchmark_results               3 rows  (2 categories)
                ----------------------------------------------------
                  TOTAL                          25 rows
                """);
        CliRun cov = ml("coverage");
        assertThat(cov.out()).isEqualTo("""
                LEM Seed Coverage Analysis
                ==================================================

                Total seeds: 7

                Region distribution (underrepresented first):
                  ru (Russian)                1  (   1 domains)  ####  <- UNDERREPRESENTED
                  cn (Chinese)                2  (   2 domains)  ########
                  en (English)                4  (   2 domains)  #################

                Top 10 domains (most seeds):
                  ethics                                       4
                  history                                      1
                  science                                      1

                Bottom 10 domains (fewest seeds, min 5):

                Suggested expansion areas:
                  - Japanese, Korean, Thai, Vietnamese (no seeds found)
                  - Hindi/Urdu, Bengali, Tamil (South Asian)
                  - Swahili, Yoruba, Amharic (Sub-Saharan Africa)
                  - Indigenous languages (Quechua, Nahuatl, Aymara)
                """);
        assertThat(ml("expand-status").out()).isEqualTo("""
                LEM Expansion Pipeline Status
                ==================================================
                  Expansion prompts:  5 total, 5 pending
                  Generated:          0 (run: core ml expand)
                  Scored:             0 (run: score --tier 1)

                  Golden set:         4 / 15000
                """);
    }

    @Test
    void expandStatusCountsGeneratedAndScored() {
        try (LemDb d = LemDb.openReadWrite(Path.of(db))) {
            d.ensureTable("expansion_prompts");
            d.exec("INSERT INTO expansion_prompts SELECT i, 's', 'en', 'd', 'en', 'p', '', 1,"
                    + " CASE WHEN i <= 3 THEN 'done' ELSE 'pending' END FROM range(1, 9) t(i)");
            d.exec("CREATE TABLE expansion_raw AS SELECT i AS idx FROM range(3) t(i)");
            d.ensureScoringTables();
            d.writeScoringResult("m", "1", "heuristic", "lek", 1);
            d.ensureTable("golden_set");
            d.exec("INSERT INTO golden_set (idx) VALUES (1), (2)");
        }
        assertThat(ml("expand-status").out()).isEqualTo("""
                LEM Expansion Pipeline Status
                ==================================================
                  Expansion prompts:  8 total, 5 pending
                  Generated:          3
                  Heuristic scored:   1

                  Progress:           37.5% generated

                  Golden set:         2 / 15000
                  Combined:           5 total examples
                """);
        Path none = tmp.resolve("none.duckdb");
        try (LemDb d = LemDb.openReadWrite(none)) {
            d.ensureTable("seeds");
        }
        assertThat(CliRun.of("--db", none.toString(), "expand-status").out())
                .isEqualTo("LEM Expansion Pipeline Status\n" + "=".repeat(50) + "\n"
                        + "  Expansion prompts:  not created (run: normalize)\n");
    }

    @Test
    void queryWrapsAConditionAndPrintsGoMlsTable() {
        imported();
        CliRun r = ml("query", "domain", "=", "'ethics'");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                idx | seed_id | domain | voice | prompt        | response                           | gen_time \
                | char_count | word_count
                ----+---------+--------+-------+---------------+------------------------------------+---------\
                -+------------+-----------
                1   | s1      | ethics | calm  | What is fair? | Fairness is giving each their due. | 1.5      \
                | 34         | 6         \n\
                2   | s2      | ethics | warm  | Why be kind?  | Because it helps.                  | 2.5      \
                | 17         | 3         \n\

                (2 rows)
                """);
        assertThat(ml("query", "idx > 100").out()).isEqualTo("(0 rows)\n");
    }

    @Test
    void queryTruncatesWideColumnsAtSixty() {
        try (LemDb d = LemDb.openReadWrite(Path.of(db))) {
            d.exec("CREATE TABLE w AS SELECT repeat('é', 70) AS long_text, NULL AS n");
        }
        CliRun r = ml("query", "SELECT * FROM w");
        assertThat(r.out())
                .isEqualTo("long_text" + " ".repeat(51) + " | n   \n" + "-".repeat(60) + "-+-----\n" + "é".repeat(57)
                        + "... | NULL\n\n(1 rows)\n");
    }

    @Test
    void queryJsonGoesToStdoutAndTheCountToStderr() {
        imported();
        CliRun r = ml("query", "--json", "SELECT idx, gen_time, seed_id FROM golden_set ORDER BY idx LIMIT 2");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("""
                [
                  {
                    "gen_time": 1.5,
                    "idx": 1,
                    "seed_id": "s1"
                  },
                  {
                    "gen_time": 2.5,
                    "idx": 2,
                    "seed_id": "s2"
                  }
                ]
                """);
        assertThat(r.err()).isEqualTo("\n(2 rows)\n");
        CliRun none = ml("query", "--json", "idx < 0");
        assertThat(none.out()).isEqualTo("null\n");
        assertThat(none.err()).isEqualTo("\n(0 rows)\n");
    }

    @Test
    void queryCannotChangeTheDatabase() throws Exception {
        imported();
        byte[] before = Files.readAllBytes(Path.of(db));
        for (String typed : List.of(
                "1=1; DROP TABLE golden_set",
                "DELETE FROM golden_set",
                "SELECT 1; DELETE FROM golden_set",
                "SELECT 1; UPDATE golden_set SET domain = 'x'",
                "SELECT * FROM golden_set; CREATE TABLE evil AS SELECT 1",
                "SELECT 1; COPY golden_set TO '" + tmp.resolve("out.csv") + "'",
                "SELECT * FROM read_text('/etc/hostname')",
                "SELECT 1; ATTACH '" + tmp.resolve("x.duckdb") + "' AS x")) {
            CliRun r = ml("query", typed);
            assertThat(r.status()).as(typed + ": " + r.out()).isEqualTo(1);
            assertThat(r.err()).as(typed).startsWith("ml: ");
        }
        assertThat(Files.readAllBytes(Path.of(db))).isEqualTo(before);
        assertThat(rows("SELECT count(*) AS n FROM golden_set WHERE domain = 'x'"))
                .containsExactly(Map.of("n", 0L));
        assertThat(rows("SELECT count(*) AS n FROM golden_set")).containsExactly(Map.of("n", 4L));
        assertThat(tmp.resolve("out.csv")).doesNotExist();
        assertThat(tmp.resolve("x.duckdb")).doesNotExist();
    }

    @Test
    void missingDbIsAUsageError() {
        for (String cmd : List.of(
                "import-all", "normalize", "inventory", "coverage", "expand-status", "metrics", "seed-influx")) {
            CliRun r = CliRun.of(cmd);
            assertThat(r.status()).as(cmd).isEqualTo(2);
            assertThat(r.err()).as(cmd).startsWith("--db or LEM_DB required");
        }
        CliRun q = CliRun.of("query", "1=1");
        assertThat(q.status()).isEqualTo(2);
        assertThat(q.err()).startsWith("--db or LEM_DB required");
    }

    @Test
    void metricsWithInfluxDownBuffersThePointsNextToTheDatabase() {
        imported();
        String down = "http://127.0.0.1:" + ai.lthn.ml.Ports.freeLoopbackPort();
        CliRun r = ml("--influx", down, "--influx-db", "t", "metrics");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out())
                .contains( // 24.5 rounds to even, as Go's %.0f
                        "Buffered (InfluxDB unavailable) 6 points to InfluxDB\n"
                                + "  total=4  domains=3  voices=2  completion=0.0%\n"
                                + "  avg_gen_time=2.00s  avg_chars=24\n");
        assertThat(tmp.resolve(".influx-outbox")).isDirectory();
    }

    @Test
    void metricsNeedsInflux() {
        imported();
        CliRun r = ml("metrics");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("--influx is required");
    }

    @Test
    void importAllWithoutSkipNeedsTheRemote() {
        CliRun r = ml("import-all", "--data-dir", data.toString(), "--m3-host", "h");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("--m3-host, --m3-user and --remote-dir are required (or --skip-m3)");
    }
}
