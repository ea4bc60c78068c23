package ai.lthn.ml.data;

import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends rows to a DuckDB table through the driver's appender (row-wise into column chunks, no
 * SQL per row). go-ml ran one INSERT statement per row; a first version here ran one 256-row
 * prepared INSERT per batch, which spent 95% of its time binding the statement in the engine
 * (see FINDINGS.md, "Dataset pipeline").
 */
final class BulkInsert implements AutoCloseable {
    private final DuckDBAppender appender;
    private final String table;
    private final int columns;

    private BulkInsert(DuckDBAppender appender, String table, int columns) {
        this.appender = appender;
        this.table = table;
        this.columns = columns;
    }

    /** Appends to {@code table}, one value per column in order. */
    static BulkInsert into(Connection conn, String table, int columns) {
        try {
            return new BulkInsert(
                    conn.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table),
                    table,
                    columns);
        } catch (SQLException e) {
            throw new MlIOException("append to " + table + ": " + e.getMessage(), new IOException(e));
        }
    }

    /** One row: each value a String, Integer, Long, Double or null. */
    void add(Object... values) {
        if (values.length != columns) throw new IllegalArgumentException(values.length + " values for " + columns);
        try {
            appender.beginRow();
            for (Object v : values) {
                if (v == null) appender.appendNull();
                else if (v instanceof String s) appender.append(s);
                else if (v instanceof Integer i) appender.append(i.intValue());
                else if (v instanceof Long l) appender.append(l.longValue());
                else if (v instanceof Double d) appender.append(d.doubleValue());
                else
                    throw new IllegalArgumentException(
                            "cannot append " + v.getClass().getName());
            }
            appender.endRow();
        } catch (SQLException e) {
            throw new MlIOException("append to " + table + ": " + e.getMessage(), new IOException(e));
        }
    }

    @Override
    public void close() {
        try {
            appender.close(); // flushes what is left
        } catch (SQLException e) {
            throw new MlIOException("append to " + table + ": " + e.getMessage(), new IOException(e));
        }
    }
}
