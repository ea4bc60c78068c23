package ai.lthn.ml.cli;

import ai.lthn.ml.data.LemDb;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ml query}: ad-hoc SQL (go-ml's). Text that does not start with SELECT, SHOW, DESCRIBE or
 * EXPLAIN is taken as a condition: {@code SELECT * FROM golden_set WHERE <text> LIMIT 20}. Unlike
 * go-ml, whose read-only mode was a convention of the DSN, the statement always runs on a
 * read-only handle that is also shut off from files, other databases and extensions, so no text
 * typed here can change the database or touch anything else.
 */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "Run SQL against the database, read-only. A bare condition is a golden_set filter:"
                + " ml query \"domain = 'ethics'\" runs SELECT * FROM golden_set WHERE domain = 'ethics' LIMIT 20.")
final class QueryCommand implements Callable<Integer> {
    static final int MAX_WIDTH = 60;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db

    @Option(names = "--json", description = "Rows as JSON on stdout, the count on stderr")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "SQL", description = "The query, or a condition on golden_set")
    List<String> sql;

    /** go-ml's wrapping of text that is not a query. */
    static String wrap(String sql) {
        String t = sql.strip().toUpperCase(Locale.ROOT);
        if (t.startsWith("SELECT") || t.startsWith("SHOW") || t.startsWith("DESCRIBE") || t.startsWith("EXPLAIN"))
            return sql;
        return "SELECT * FROM golden_set WHERE " + sql + " LIMIT 20";
    }

    @Override
    public Integer call() throws JsonProcessingException {
        var path = DataSupport.requireDb(spec, main);
        String text = wrap(String.join(" ", sql));
        List<Map<String, Object>> rows;
        try (LemDb db = LemDb.openReadOnly(path)) {
            db.lockDown();
            rows = db.queryRows(text);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> sorted = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                TreeMap<String, Object> m = new TreeMap<>();
                r.forEach((k, v) -> m.put(k, jsonValue(v)));
                sorted.add(m);
            }
            out.println(Json.goWriter().writeValueAsString(rows.isEmpty() ? null : sorted));
            out.flush();
            spec.commandLine().getErr().printf("%n(%d rows)%n", rows.size());
            return 0;
        }
        if (rows.isEmpty()) {
            out.println("(0 rows)");
            return 0;
        }
        List<String> cols = new ArrayList<>(rows.get(0).keySet());
        int[] widths = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) widths[i] = length(cols.get(i));
        for (Map<String, Object> r : rows)
            for (int i = 0; i < cols.size(); i++)
                widths[i] = Math.max(widths[i], length(LemDb.formatValue(r.get(cols.get(i)))));
        for (int i = 0; i < widths.length; i++) widths[i] = Math.min(widths[i], MAX_WIDTH);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) sb.append(" | ");
            pad(sb, truncate(cols.get(i), widths[i]), widths[i]);
        }
        out.println(sb);
        sb.setLength(0);
        for (int i = 0; i < cols.size(); i++) sb.append(i > 0 ? "-+-" : "").append("-".repeat(widths[i]));
        out.println(sb);
        for (Map<String, Object> r : rows) {
            sb.setLength(0);
            for (int i = 0; i < cols.size(); i++) {
                if (i > 0) sb.append(" | ");
                pad(sb, truncate(LemDb.formatValue(r.get(cols.get(i))), widths[i]), widths[i]);
            }
            out.println(sb);
        }
        out.printf("%n(%d rows)%n", rows.size());
        return 0;
    }

    private static Object jsonValue(Object v) {
        if (v == null
                || v instanceof String
                || v instanceof Boolean
                || v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof Byte
                || v instanceof BigInteger
                || v instanceof BigDecimal) return v;
        if (v instanceof Double || v instanceof Float) return ((Number) v).doubleValue();
        return v.toString();
    }

    /** Width in characters (code points); go-ml counted bytes and could cut a character in two. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    static String truncate(String s, int max) {
        if (length(s) <= max) return s;
        if (max <= 3) return s.substring(0, s.offsetByCodePoints(0, max));
        return s.substring(0, s.offsetByCodePoints(0, max - 3)) + "...";
    }

    private static void pad(StringBuilder sb, String s, int width) {
        sb.append(s);
        for (int n = length(s); n < width; n++) sb.append(' ');
    }
}
