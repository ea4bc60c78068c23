package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.store.ResultsDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The LEM dataset database (go-ml's {@code db.go}): every table go-ml creates or reads, and the
 * query helpers its data commands use, over the DuckDB JDBC driver (the optional {@code
 * org.duckdb:duckdb_jdbc} dependency).
 *
 * <p>{@link #openReadOnly} opens the file with DuckDB's read-only access mode, as go-ml's {@code
 * OpenDB} did; through such a handle no statement can change the file (the engine refuses it), so
 * commands that only read ({@code query}, {@code inventory}, {@code coverage}, ...) cannot alter
 * data whatever text they are given. A table a command needs but that is missing is reported with
 * the command that creates it. Not thread-safe: one connection.
 */
public final class LemDb implements AutoCloseable {
    /** go-ml's golden-set target ({@code TargetTotal}). */
    public static final int TARGET_TOTAL = 15000;

    /** The tables go-ml counts, in its display order ({@code tableOrder}). */
    public static final List<String> TABLES = ResultsDb.TABLES;

    /**
     * The schema of every table go-ml creates, with the column types it gives them (go-ml {@code
     * db.go} {@code EnsureScoringTables}, {@code import_all.go} and {@code normalize.go} at
     * 3918051). {@code golden_set} and {@code expansion_prompts} are created by queries in go-ml
     * (CTAS); the types here are those the queries produce.
     */
    public static final Map<String, String> SCHEMA = schema();

    /** The tables go-ml only reads (created by its Python pipeline): table to columns read. */
    public static final Map<String, String> EXTERNAL = Map.of(
            "prompts", "prompt, domain, voice",
            "gemini_responses", "source_model",
            "validations", "(counted only)",
            "expansion_raw", "idx, seed_id, region, domain, prompt, response, gen_time, model",
            "expansion_scores", "idx, heuristic_score, heuristic_pass, judge_pass");

    /** Which command creates a table, for "missing table" messages. */
    private static final Map<String, String> CREATED_BY = Map.of(
            "golden_set", "import-all",
            "seeds", "import-all",
            "training_examples", "import-all",
            "benchmark_results", "import-all",
            "benchmark_questions", "import-all",
            "expansion_prompts", "normalize",
            "expansion_raw", "expand",
            "expansion_scores", "score",
            "scoring_results", "score");

    private static Map<String, String> schema() {
        Map<String, String> m = new LinkedHashMap<>(ResultsDb.SCORING_COLUMNS);
        m.put(
                "golden_set",
                "idx INTEGER, seed_id VARCHAR, domain VARCHAR, voice VARCHAR, prompt VARCHAR, response VARCHAR,"
                        + " gen_time DOUBLE, char_count INTEGER, word_count BIGINT");
        m.put(
                "training_examples",
                "source VARCHAR, split VARCHAR, prompt TEXT, response TEXT, num_turns INT, full_messages TEXT,"
                        + " char_count INT");
        m.put(
                "benchmark_results",
                "source VARCHAR, id VARCHAR, benchmark VARCHAR, model VARCHAR, prompt TEXT, response TEXT,"
                        + " elapsed_seconds DOUBLE, domain VARCHAR");
        m.put(
                "benchmark_questions",
                "benchmark VARCHAR, id VARCHAR, question TEXT, best_answer TEXT, correct_answers TEXT,"
                        + " incorrect_answers TEXT, category VARCHAR");
        m.put("seeds", "source_file VARCHAR, region VARCHAR, seed_id VARCHAR, domain VARCHAR, prompt TEXT");
        m.put(
                "expansion_prompts",
                "idx BIGINT, seed_id VARCHAR, region VARCHAR, domain VARCHAR, language VARCHAR, prompt VARCHAR,"
                        + " prompt_en VARCHAR, priority INTEGER, status VARCHAR");
        return java.util.Collections.unmodifiableMap(m);
    }

    private final ResultsDb db;
    private final boolean readOnly;

    private LemDb(ResultsDb db, boolean readOnly) {
        this.db = db;
        this.readOnly = readOnly;
    }

    /**
     * Opens the file read-only (go-ml's {@code OpenDB}, DSN {@code access_mode=READ_ONLY}): other
     * readers are not locked out and no statement through this handle can change the file.
     *
     * @param path the DuckDB file
     * @return the handle
     * @throws MlIOException {@code open duckdb <path> (read-only): ...}
     */
    public static LemDb openReadOnly(Path path) {
        return new LemDb(ResultsDb.openReadOnly(path), true);
    }

    /**
     * Opens (creating) the file for writing (go-ml's {@code OpenDBReadWrite}).
     *
     * @param path the DuckDB file
     * @return the handle
     */
    public static LemDb openReadWrite(Path path) {
        return new LemDb(ResultsDb.openReadWrite(path), false);
    }

    /**
     * The database file.
     *
     * @return the path it was opened with
     */
    public Path path() {
        return db.path();
    }

    /**
     * Whether this handle was opened read-only.
     *
     * @return true when opened read-only
     */
    public boolean readOnly() {
        return readOnly;
    }

    /** The connection, for bulk loading in this package. */
    Connection connection() {
        return db.connection();
    }

    /**
     * Runs one statement.
     *
     * @param sql the statement
     * @param args its parameters
     * @throws MlIOException when it fails (for example any write through a read-only handle)
     */
    public void exec(String sql, Object... args) {
        db.exec(sql, args);
    }

    /**
     * Creates a table with go-ml's columns ({@link #SCHEMA}) if missing.
     *
     * @param table a key of {@link #SCHEMA}
     */
    public void ensureTable(String table) {
        String cols = SCHEMA.get(table);
        if (cols == null) throw new IllegalArgumentException("no schema for table " + table);
        exec("CREATE TABLE IF NOT EXISTS " + table + " (" + cols + ")");
    }

    /** Creates go-ml's scoring tables if missing ({@code EnsureScoringTables}). */
    public void ensureScoringTables() {
        db.ensureScoringTables();
    }

    /**
     * Whether a table (or view) exists.
     *
     * @param table its name
     * @return true when present
     */
    public boolean hasTable(String table) {
        return db.hasTable(table);
    }

    /**
     * Throws unless a table exists, naming the command that creates it.
     *
     * @param table the table name
     * @throws MlException {@code no <table> table (run <command> first)}
     */
    public void requireTable(String table) {
        if (!hasTable(table)) {
            String by = CREATED_BY.get(table);
            throw new MlException("no " + table + " table" + (by == null ? "" : " (run " + by + " first)"));
        }
    }

    /**
     * A single long value (the first column of the first row), or 0 when there is no row.
     *
     * @param sql the query
     * @param args its parameters
     * @return the value
     */
    public long scalarLong(String sql, Object... args) {
        List<Map<String, Object>> rows = queryRows(sql, args);
        if (rows.isEmpty()) return 0;
        return toLong(rows.get(0).values().iterator().next());
    }

    /**
     * Runs a query; each row maps column labels to the driver's values, in column order.
     *
     * @param sql the query
     * @param args its parameters
     * @return the rows
     */
    public List<Map<String, Object>> queryRows(String sql, Object... args) {
        return db.queryRows(sql, args);
    }

    /**
     * Runs a query, handing each row to {@code action} as it is read (never all in memory).
     *
     * @param sql the query
     * @param action receives each row (a new map per row, columns in order)
     * @param args its parameters
     */
    public void forEachRow(String sql, Consumer<Map<String, Object>> action, Object... args) {
        db.forEachRow(sql, action, args);
    }

    /** go-ml's {@code GoldenSetRow}. */
    public record GoldenRow(
            int idx,
            String seedId,
            String domain,
            String voice,
            String prompt,
            String response,
            double genTime,
            int charCount) {}

    /**
     * go-ml's {@code QueryGoldenSet}: rows with at least {@code minChars} characters, by idx.
     *
     * @param minChars the least {@code char_count}
     * @param action receives each row
     */
    public void forEachGolden(int minChars, Consumer<GoldenRow> action) {
        requireTable("golden_set");
        forEachRow(
                "SELECT idx, seed_id, domain, voice, prompt, response, gen_time, char_count FROM golden_set"
                        + " WHERE char_count >= ? ORDER BY idx",
                r -> action.accept(new GoldenRow(
                        (int) toLong(r.get("idx")),
                        str(r.get("seed_id")),
                        str(r.get("domain")),
                        str(r.get("voice")),
                        str(r.get("prompt")),
                        str(r.get("response")),
                        toDouble(r.get("gen_time")),
                        (int) toLong(r.get("char_count")))),
                minChars);
    }

    /**
     * go-ml's {@code CountGoldenSet}.
     *
     * @return the rows of {@code golden_set}
     */
    public long countGoldenSet() {
        requireTable("golden_set");
        return scalarLong("SELECT COUNT(*) FROM golden_set");
    }

    /** go-ml's {@code ExpansionPromptRow}. */
    public record ExpansionPromptRow(
            long idx,
            String seedId,
            String region,
            String domain,
            String language,
            String prompt,
            String promptEn,
            int priority,
            String status) {}

    /**
     * go-ml's {@code QueryExpansionPrompts}: by priority then idx.
     *
     * @param status only this status, or all when null or empty
     * @param limit at most this many when positive
     * @return the rows
     */
    public List<ExpansionPromptRow> expansionPrompts(String status, int limit) {
        requireTable("expansion_prompts");
        boolean filter = status != null && !status.isEmpty();
        String sql = "SELECT idx, seed_id, region, domain, language, prompt, prompt_en, priority, status"
                + " FROM expansion_prompts" + (filter ? " WHERE status = ?" : "") + " ORDER BY priority, idx"
                + (limit > 0 ? " LIMIT " + limit : "");
        List<ExpansionPromptRow> out = new ArrayList<>();
        forEachRow(
                sql,
                r -> out.add(new ExpansionPromptRow(
                        toLong(r.get("idx")),
                        str(r.get("seed_id")),
                        str(r.get("region")),
                        str(r.get("domain")),
                        str(r.get("language")),
                        str(r.get("prompt")),
                        str(r.get("prompt_en")),
                        (int) toLong(r.get("priority")),
                        str(r.get("status")))),
                filter ? new Object[] {status} : new Object[0]);
        return out;
    }

    /**
     * go-ml's {@code CountExpansionPrompts}.
     *
     * @return {total, pending}
     */
    public long[] countExpansionPrompts() {
        requireTable("expansion_prompts");
        return new long[] {
            scalarLong("SELECT COUNT(*) FROM expansion_prompts"),
            scalarLong("SELECT COUNT(*) FROM expansion_prompts WHERE status = 'pending'")
        };
    }

    /**
     * go-ml's {@code UpdateExpansionStatus}.
     *
     * @param idx the prompt
     * @param status its new status
     */
    public void updateExpansionStatus(long idx, String status) {
        exec("UPDATE expansion_prompts SET status = ? WHERE idx = ?", status, idx);
    }

    /**
     * go-ml's {@code WriteScoringResult}.
     *
     * @param model model
     * @param promptId prompt id
     * @param suite suite
     * @param dimension dimension
     * @param score score
     */
    public void writeScoringResult(String model, String promptId, String suite, String dimension, double score) {
        exec(
                "INSERT INTO scoring_results (model, prompt_id, suite, dimension, score) VALUES (?,?,?,?,?)",
                model,
                promptId,
                suite,
                dimension,
                score);
    }

    /**
     * Row counts of go-ml's tables that exist, in its order (absent tables left out, as go-ml).
     *
     * @return table to rows
     */
    public Map<String, Long> tableCounts() {
        return db.tableCounts();
    }

    /**
     * Closes this read-only handle to everything outside the database: no file reads or writes
     * ({@code COPY ... TO}, {@code read_csv}), no {@code ATTACH} of another database, no extension
     * loading, and the configuration locked so later statements cannot lift this. For running
     * text typed by a user ({@code ml query}).
     *
     * @throws IllegalStateException on a read-write handle
     */
    public void lockDown() {
        if (!readOnly) throw new IllegalStateException("lockDown is for read-only handles");
        exec("SET enable_external_access = false");
        exec("SET autoinstall_known_extensions = false");
        exec("SET autoload_known_extensions = false");
        exec("SET lock_configuration = true");
    }

    /**
     * Go's {@code fmt %v} of a value as the driver returns it (go-ml's {@code formatValue}): null is
     * {@code NULL}, floating values in Go's shortest form ({@code 1e+06}), others as text.
     *
     * @param v the value
     * @return its text
     */
    public static String formatValue(Object v) {
        if (v == null) return "NULL";
        if (v instanceof Double d) return ImportAll.goFloat(d);
        if (v instanceof Float f) return ImportAll.goFloat(f.doubleValue());
        return v.toString();
    }

    /** go-ml's {@code toInt} widened: integral and floating values, else 0. */
    static long toLong(Object v) {
        if (v instanceof Number n) return n.longValue();
        return 0;
    }

    static double toDouble(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        return 0;
    }

    static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    @Override
    public void close() {
        db.close();
    }
}
