package ai.lthn.ml.store;

import ai.lthn.ml.MlIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * go-ml's DuckDB results store ({@code db.go}): the scoring tables, per-checkpoint capability
 * scores and per-probe results, generic queries and table counts. Needs the optional
 * {@code org.duckdb:duckdb_jdbc} dependency.
 *
 * <p>Fixes go-ml's dual write (reliability.md I15): table creation errors are reported, and a
 * checkpoint's summary and probe rows are written in one transaction (all or none); a file that
 * another process holds is reported as such. Not thread-safe: one connection.
 */
public final class ResultsDb implements AutoCloseable {
    /** The tables go-ml counts, in its order. */
    public static final List<String> TABLES = List.of(
            "golden_set",
            "expansion_prompts",
            "seeds",
            "prompts",
            "training_examples",
            "gemini_responses",
            "benchmark_questions",
            "benchmark_results",
            "validations",
            "checkpoint_scores",
            "probe_results",
            "scoring_results");

    /**
     * go-ml's scoring tables ({@code EnsureScoringTables}): table name to its column definitions,
     * in creation order.
     */
    public static final Map<String, String> SCORING_COLUMNS = scoringColumns();

    private static Map<String, String> scoringColumns() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(
                "checkpoint_scores",
                "model TEXT, run_id TEXT, label TEXT, iteration INTEGER, correct INTEGER, total INTEGER,"
                        + " accuracy DOUBLE, scored_at TIMESTAMP DEFAULT current_timestamp, PRIMARY KEY (run_id, label)");
        m.put(
                "probe_results",
                "model TEXT, run_id TEXT, label TEXT, probe_id TEXT, passed BOOLEAN, response TEXT, iteration INTEGER,"
                        + " scored_at TIMESTAMP DEFAULT current_timestamp, PRIMARY KEY (run_id, label, probe_id)");
        m.put(
                "scoring_results",
                "model TEXT, prompt_id TEXT, suite TEXT, dimension TEXT, score DOUBLE,"
                        + " scored_at TIMESTAMP DEFAULT current_timestamp");
        return java.util.Collections.unmodifiableMap(m);
    }

    private final Connection conn;
    private final Path path;

    private ResultsDb(Connection conn, Path path) {
        this.conn = conn;
        this.path = path;
    }

    /**
     * Opens the database read-only (go-ml's {@code OpenDB}: does not lock out other readers).
     *
     * @param path the DuckDB file
     * @return the open database; close it
     * @throws MlIOException if the file cannot be opened (missing, held by a writer, or the DuckDB
     *     driver absent)
     */
    public static ResultsDb openReadOnly(Path path) {
        return open(path, true);
    }

    /**
     * Opens (creating) the database for writing (go-ml's {@code OpenDBReadWrite}).
     *
     * @param path the DuckDB file; created if missing
     * @return the open database; close it
     * @throws MlIOException if the file cannot be opened (e.g. another process holds it)
     */
    public static ResultsDb openReadWrite(Path path) {
        return open(path, false);
    }

    private static ResultsDb open(Path path, boolean readOnly) {
        Objects.requireNonNull(path, "path");
        java.util.Properties props = new java.util.Properties();
        if (readOnly) props.setProperty("duckdb.read_only", "true");
        try {
            Connection c = DriverManager.getConnection("jdbc:duckdb:" + path.toAbsolutePath(), props);
            return new ResultsDb(c, path);
        } catch (SQLException e) {
            String why = e.getMessage() != null && e.getMessage().startsWith("No suitable driver")
                    ? "the DuckDB JDBC driver is not on the class path (add org.duckdb:duckdb_jdbc)"
                    : e.getMessage();
            throw new MlIOException(
                    "open duckdb " + path + (readOnly ? " (read-only)" : "") + ": " + why, new java.io.IOException(e));
        }
    }

    /**
     * A private in-memory database (a work area: DuckDB's SQL and file writers without a file).
     *
     * @return the open database; close it
     */
    public static ResultsDb inMemory() {
        try {
            return new ResultsDb(DriverManager.getConnection("jdbc:duckdb:"), Path.of(":memory:"));
        } catch (SQLException e) {
            throw new MlIOException("open duckdb in memory: " + e.getMessage(), new java.io.IOException(e));
        }
    }

    /**
     * Whether a table or view of this name exists.
     *
     * @param name the table name
     * @return true if it exists
     */
    public boolean hasTable(String name) {
        try (PreparedStatement st =
                conn.prepareStatement("SELECT count(*) FROM information_schema.tables WHERE table_name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw failure("look for table " + name, e);
        }
    }

    /** Around an open connection (tests: faults the driver cannot be made to produce). */
    static ResultsDb wrap(Connection conn, Path path) {
        return new ResultsDb(conn, path);
    }

    /**
     * The database file.
     *
     * @return the path as given when opened
     */
    public Path path() {
        return path;
    }

    /**
     * The handle's connection, for bulk loading and transactions; it stays owned by this handle
     * (closed by {@link #close}).
     *
     * @return the connection
     */
    public Connection connection() {
        return conn;
    }

    /**
     * Runs one statement with parameters.
     *
     * @param sql the statement
     * @param args its parameters
     * @throws MlIOException when it fails (any write through a read-only handle does)
     */
    public void exec(String sql, Object... args) {
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
            st.execute();
        } catch (SQLException e) {
            throw failure("exec", e);
        }
    }

    /** Creates go-ml's scoring tables if missing. */
    public void ensureScoringTables() {
        try (Statement st = conn.createStatement()) {
            for (Map.Entry<String, String> t : SCORING_COLUMNS.entrySet())
                st.execute("CREATE TABLE IF NOT EXISTS " + t.getKey() + " (" + t.getValue() + ")");
        } catch (SQLException e) {
            throw failure("create scoring tables", e);
        }
    }

    /**
     * One probe's outcome for {@link #writeCheckpoint}.
     *
     * @param probeId the probe id; the row's key within the checkpoint
     * @param passed whether the probe passed
     * @param response the stored response (callers cut it to {@code MAX_STORED_RESPONSE_LEN})
     */
    public record ProbeRow(String probeId, boolean passed, String response) {}

    /**
     * Writes a checkpoint's capability summary and its probe rows in one transaction, replacing
     * earlier rows for the same run and label (go-ml's {@code INSERT OR REPLACE}); probe rows of
     * an earlier write that this one does not have are removed, so a rewrite with fewer probes
     * leaves no stale rows. When the write fails, the database is rolled back and the write's own
     * error is thrown (a rollback failure is attached to it as suppressed, never in its place).
     *
     * @param model the model tag stored with every row
     * @param runId the run id; with {@code label}, the key of the rows replaced
     * @param label the checkpoint label
     * @param iteration the training iteration
     * @param correct probes passed
     * @param total probes run; the stored accuracy is {@code correct/total*100}, or 0 when
     *     {@code total} is 0
     * @param probes the per-probe rows; they replace every earlier probe row of this run and label
     * @throws MlIOException if the write fails (nothing of it is kept)
     */
    public void writeCheckpoint(
            String model, String runId, String label, int iteration, int correct, int total, List<ProbeRow> probes) {
        double accuracy = total > 0 ? (double) correct / total * 100 : 0;
        boolean auto;
        try {
            auto = conn.getAutoCommit();
            conn.setAutoCommit(false);
        } catch (SQLException e) {
            throw failure("write checkpoint " + runId + "/" + label, e);
        }
        SQLException failed = null;
        try (PreparedStatement score = conn.prepareStatement(
                        "INSERT OR REPLACE INTO checkpoint_scores (model, run_id, label, iteration, correct, total,"
                                + " accuracy) VALUES (?,?,?,?,?,?,?)");
                PreparedStatement stale =
                        conn.prepareStatement("DELETE FROM probe_results WHERE run_id = ? AND label = ?");
                PreparedStatement probe = conn.prepareStatement(
                        "INSERT OR REPLACE INTO probe_results (model, run_id, label, probe_id, passed, response,"
                                + " iteration) VALUES (?,?,?,?,?,?,?)")) {
            score.setString(1, model);
            score.setString(2, runId);
            score.setString(3, label);
            score.setInt(4, iteration);
            score.setInt(5, correct);
            score.setInt(6, total);
            score.setDouble(7, accuracy);
            score.executeUpdate();
            stale.setString(1, runId);
            stale.setString(2, label);
            stale.executeUpdate();
            for (ProbeRow p : probes) {
                probe.setString(1, model);
                probe.setString(2, runId);
                probe.setString(3, label);
                probe.setString(4, p.probeId());
                probe.setBoolean(5, p.passed());
                probe.setString(6, p.response());
                probe.setInt(7, iteration);
                probe.executeUpdate();
            }
            conn.commit();
        } catch (SQLException e) {
            failed = e;
            try {
                conn.rollback();
            } catch (SQLException | RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
        }
        try {
            conn.setAutoCommit(auto);
        } catch (SQLException e) {
            if (failed != null) failed.addSuppressed(e);
            else failed = e;
        }
        if (failed != null) throw failure("write checkpoint " + runId + "/" + label, failed);
    }

    /**
     * Runs a query with parameters; each row maps column names to the driver's values.
     *
     * @param sql the statement, with {@code ?} placeholders
     * @param args the placeholder values, in order, bound with {@code setObject}
     * @return the rows in result order, each column label to value in column order
     * @throws MlIOException if the query fails
     */
    public List<Map<String, Object>> queryRows(String sql, Object... args) {
        List<Map<String, Object>> rows = new ArrayList<>();
        forEachRow(sql, rows::add, args);
        return rows;
    }

    /**
     * Runs a query with parameters and hands each row to {@code action} as it is read, so a large
     * result is never held in memory.
     *
     * @param sql the query
     * @param action receives each row: column label to the driver's value (a new map per row)
     * @param args the parameters
     * @throws MlIOException if the query fails
     */
    public void forEachRow(String sql, java.util.function.Consumer<Map<String, Object>> action, Object... args) {
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= md.getColumnCount(); c++) row.put(md.getColumnLabel(c), rs.getObject(c));
                    action.accept(row);
                }
            }
        } catch (SQLException e) {
            throw failure("query", e);
        }
    }

    /**
     * Row counts of go-ml's tables that exist (the others are left out, as go-ml does).
     *
     * @return table name to row count, in {@link #TABLES} order
     */
    public Map<String, Long> tableCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : TABLES) {
            try (Statement st = conn.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t)) {
                if (rs.next()) counts.put(t, rs.getLong(1));
            } catch (SQLException missing) {
                // absent table: omitted
            }
        }
        return counts;
    }

    private MlIOException failure(String what, SQLException e) {
        return new MlIOException("duckdb " + path + ": " + what + ": " + e.getMessage(), new java.io.IOException(e));
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
