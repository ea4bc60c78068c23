package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Seed coverage by region and domain (go-ml's {@code PrintCoverage}, SQL as in {@code coverage.go}). */
public final class Coverage {
    private Coverage() {}

    static final String REGIONS = """
            SELECT
                CASE
                    WHEN region LIKE '%cn%' THEN 'cn (Chinese)'
                    WHEN region LIKE '%en-%' OR region LIKE '%en_para%' OR region LIKE '%para%' THEN 'en (English)'
                    WHEN region LIKE '%ru%' THEN 'ru (Russian)'
                    WHEN region LIKE '%de%' AND region NOT LIKE '%deten%' THEN 'de (German)'
                    WHEN region LIKE '%es%' THEN 'es (Spanish)'
                    WHEN region LIKE '%fr%' THEN 'fr (French)'
                    WHEN region LIKE '%latam%' THEN 'latam (LatAm)'
                    WHEN region LIKE '%africa%' THEN 'africa'
                    WHEN region LIKE '%eu%' THEN 'eu (European)'
                    WHEN region LIKE '%me%' AND region NOT LIKE '%premium%' THEN 'me (MidEast)'
                    WHEN region LIKE '%multi%' THEN 'multilingual'
                    WHEN region LIKE '%weak%' THEN 'weak-langs'
                    ELSE 'other'
                END AS lang_group,
                count(*) AS n,
                count(DISTINCT domain) AS domains
            FROM seeds GROUP BY lang_group ORDER BY n ASC, lang_group
            """;

    /**
     * Prints the report.
     *
     * @param db the database (read-only is enough)
     * @param out go-ml's lines
     * @throws MlException {@code no seeds table (run import-all first)}
     */
    public static void print(LemDb db, PrintWriter out) {
        db.requireTable("seeds");
        long total = db.scalarLong("SELECT count(*) AS total FROM seeds");
        out.println("LEM Seed Coverage Analysis");
        out.println("=".repeat(50));
        out.println();
        out.println("Total seeds: " + total);

        List<Map<String, Object>> regions = db.queryRows(REGIONS);
        out.println();
        out.println("Region distribution (underrepresented first):");
        double avg = (double) total / regions.size();
        for (Map<String, Object> r : regions) {
            long n = LemDb.toLong(r.get("n"));
            int bar = (int) Math.min((long) ((double) n / avg * 10), 40);
            String gap = n < avg * 0.5 ? "  <- UNDERREPRESENTED" : "";
            out.printf(
                    "  %-22s %6d  (%4d domains)  %s%s%n",
                    LemDb.str(r.get("lang_group")), n, LemDb.toLong(r.get("domains")), "#".repeat(bar), gap);
        }
        out.println();
        out.println("Top 10 domains (most seeds):");
        for (Map<String, Object> r : db.queryRows("SELECT domain, count(*) AS n FROM seeds WHERE domain != ''"
                + " GROUP BY domain ORDER BY n DESC, domain LIMIT 10"))
            out.printf("  %-40s %5d%n", LemDb.str(r.get("domain")), LemDb.toLong(r.get("n")));
        out.println();
        out.println("Bottom 10 domains (fewest seeds, min 5):");
        for (Map<String, Object> r : db.queryRows("SELECT domain, count(*) AS n FROM seeds WHERE domain != ''"
                + " GROUP BY domain HAVING count(*) >= 5 ORDER BY n ASC, domain LIMIT 10"))
            out.printf("  %-40s %5d%n", LemDb.str(r.get("domain")), LemDb.toLong(r.get("n")));
        out.println();
        out.println("Suggested expansion areas:");
        out.println("  - Japanese, Korean, Thai, Vietnamese (no seeds found)");
        out.println("  - Hindi/Urdu, Bengali, Tamil (South Asian)");
        out.println("  - Swahili, Yoruba, Amharic (Sub-Saharan Africa)");
        out.println("  - Indigenous languages (Quechua, Nahuatl, Aymara)");
        out.flush();
    }
}
