package ai.lthn.ml.data;

import java.io.PrintWriter;

/** The expansion pipeline's progress (go-ml's {@code ml expand-status}). */
public final class ExpandStatus {
    private ExpandStatus() {}

    /**
     * Prints the status.
     *
     * @param db the database (read-only is enough)
     * @param out go-ml's lines
     */
    public static void print(LemDb db, PrintWriter out) {
        out.println("LEM Expansion Pipeline Status");
        out.println("=".repeat(50));
        if (!db.hasTable("expansion_prompts")) {
            out.println("  Expansion prompts:  not created (run: normalize)");
            out.flush();
            return;
        }
        long[] tp = db.countExpansionPrompts();
        long total = tp[0];
        out.println("  Expansion prompts:  " + total + " total, " + tp[1] + " pending");
        long generated = 0;
        if (db.hasTable("expansion_raw")) {
            generated = db.scalarLong("SELECT count(*) AS n FROM expansion_raw");
            out.println("  Generated:          " + generated);
        } else out.println("  Generated:          0 (run: core ml expand)");
        if (db.hasTable("scoring_results"))
            out.println("  Heuristic scored:   "
                    + db.scalarLong("SELECT count(*) AS n FROM scoring_results WHERE suite = 'heuristic'"));
        else out.println("  Scored:             0 (run: score --tier 1)");
        if (total > 0 && generated > 0) {
            out.println();
            out.println("  Progress:           " + GoFmt.fixed((double) generated / total * 100, 1) + "% generated");
        }
        long golden = db.hasTable("golden_set") ? db.countGoldenSet() : 0;
        if (golden > 0) {
            out.println();
            out.println("  Golden set:         " + golden + " / " + LemDb.TARGET_TOTAL);
            if (generated > 0) out.println("  Combined:           " + (golden + generated) + " total examples");
        }
        out.flush();
    }
}
