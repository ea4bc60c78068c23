package ai.lthn.ml.data;

import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Inserts rows into a DuckDB table many at a time: one prepared multi-row statement per {@link
 * #ROWS} rows (far fewer round trips into the engine than a statement per row, which is what
 * go-ml did), without needing the driver's own appender classes at compile time.
 */
final class BulkInsert implements AutoCloseable {
    static final int ROWS = 256;

    private final Connection conn;
    private final String head;
    private final String tail;
    private final String tuple;
    private final int columns;
    private final Object[] pending;
    private int rows;
    private long inserted;
    private PreparedStatement full;

    /**
     * @param conn the connection
     * @param head the statement up to the values, e.g. {@code INSERT INTO t SELECT ... FROM (VALUES}
     * @param tail the text after the values, e.g. {@code ) v(a, b)}; may be empty
     * @param columns values per row
     */
    BulkInsert(Connection conn, String head, String tail, int columns) {
        this.conn = conn;
        this.head = head;
        this.tail = tail;
        this.columns = columns;
        this.tuple = "(" + "?,".repeat(columns - 1) + "?)";
        this.pending = new Object[ROWS * columns];
    }

    /** Inserts into {@code table} as it is, one value per column in order. */
    static BulkInsert into(Connection conn, String table, int columns) {
        return new BulkInsert(conn, "INSERT INTO " + table + " VALUES ", "", columns);
    }

    void add(Object... values) {
        if (values.length != columns) throw new IllegalArgumentException(values.length + " values for " + columns);
        System.arraycopy(values, 0, pending, rows * columns, columns);
        if (++rows == ROWS) flush();
    }

    long inserted() {
        return inserted;
    }

    private String sql(int n) {
        StringBuilder sb = new StringBuilder(head.length() + n * (tuple.length() + 1) + tail.length());
        sb.append(head);
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ",").append(tuple);
        return sb.append(tail).toString();
    }

    void flush() {
        if (rows == 0) return;
        try {
            PreparedStatement st;
            boolean own = rows != ROWS;
            if (own) st = conn.prepareStatement(sql(rows));
            else {
                if (full == null) full = conn.prepareStatement(sql(ROWS));
                st = full;
            }
            try {
                for (int i = 0; i < rows * columns; i++) st.setObject(i + 1, pending[i]);
                st.execute();
            } finally {
                if (own) st.close();
            }
        } catch (SQLException e) {
            throw new MlIOException("insert: " + e.getMessage(), new IOException(e));
        }
        inserted += rows;
        java.util.Arrays.fill(pending, null);
        rows = 0;
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            if (full != null) {
                try {
                    full.close();
                } catch (SQLException ignored) {
                    // closing a statement of a connection that stays open
                }
            }
        }
    }
}
