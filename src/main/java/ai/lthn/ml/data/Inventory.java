package ai.lthn.ml.data;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Row counts and notes for every go-ml table present (go-ml's {@code PrintInventory}). */
public final class Inventory {
    private Inventory() {}

    /**
     * Prints the inventory.
     *
     * @param db the database (read-only is enough)
     * @param out go-ml's lines
     * @return the total rows
     */
    public static long print(LemDb db, PrintWriter out) {
        Map<String, Long> counts = db.tableCounts();
        out.println("DuckDB Inventory");
        out.println("-".repeat(52));
        long total = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            long n = e.getValue();
            total += n;
            out.printf("  %-24s %8d rows", e.getKey(), n);
            List<String> notes = notes(db, e.getKey(), n);
            if (!notes.isEmpty()) out.print("  (" + String.join(", ", notes) + ")");
            out.println();
        }
        out.println("-".repeat(52));
        out.printf("  %-24s %8d rows%n", "TOTAL", total);
        out.flush();
        return total;
    }

    /** go-ml's {@code gatherDetails}: a failing query adds no note. */
    private static List<String> notes(LemDb db, String table, long rows) {
        List<String> notes = new ArrayList<>();
        try {
            switch (table) {
                case "golden_set" ->
                    notes.add(GoFmt.fixed((double) rows / LemDb.TARGET_TOTAL * 100, 1) + "% of " + LemDb.TARGET_TOTAL
                            + " target");
                case "training_examples" ->
                    notes.add(db.scalarLong("SELECT COUNT(DISTINCT source) AS n FROM training_examples") + " sources");
                case "prompts" -> {
                    notes.add(db.scalarLong("SELECT COUNT(DISTINCT domain) AS n FROM prompts") + " domains");
                    notes.add(db.scalarLong("SELECT COUNT(DISTINCT voice) AS n FROM prompts") + " voices");
                }
                case "gemini_responses" -> {
                    for (Map<String, Object> r : db.queryRows("SELECT source_model, COUNT(*) AS n FROM"
                            + " gemini_responses GROUP BY source_model ORDER BY n DESC, source_model")) {
                        String m = LemDb.str(r.get("source_model"));
                        if (!m.isEmpty()) notes.add(m + ":" + LemDb.toLong(r.get("n")));
                    }
                }
                case "benchmark_results" ->
                    notes.add(
                            db.scalarLong("SELECT COUNT(DISTINCT source) AS n FROM benchmark_results") + " categories");
                default -> {}
            }
        } catch (RuntimeException e) {
            // go-ml: details are best effort
        }
        return notes;
    }
}
