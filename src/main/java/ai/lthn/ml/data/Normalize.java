package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code expansion_prompts} from {@code seeds} (go-ml's {@code NormalizeSeeds}, SQL as in
 * {@code normalize.go} at 3918051): seeds of at least the minimum length, one per distinct prompt
 * (the least seed_id), numbered by region, domain and seed_id, leaving out prompts already in
 * {@code prompts} or {@code golden_set}; priority is the RANK of the domain's count (rare domains
 * first); status {@code pending}.
 *
 * <p>Beyond go-ml: the drop, creation and priority update are one transaction, so a failure
 * leaves the previous {@code expansion_prompts} as it was (go-ml dropped it first); a missing
 * {@code prompts} or {@code golden_set} table excludes nothing, where go-ml's statement failed.
 */
public final class Normalize {
    private Normalize() {}

    static final String CREATE = """
            CREATE TABLE expansion_prompts AS
            WITH unique_seeds AS (
                SELECT
                    ROW_NUMBER() OVER (ORDER BY region, domain, seed_id) AS idx,
                    seed_id, region, domain, prompt
                FROM (
                    SELECT DISTINCT ON (prompt)
                        seed_id, region, domain, prompt
                    FROM seeds
                    WHERE length(prompt) >= %d
                    ORDER BY prompt, seed_id
                )
            ),
            existing_prompts AS (
                %s
            )
            SELECT
                us.idx, us.seed_id, us.region, us.domain,
                'en' AS language, us.prompt, '' AS prompt_en,
                0 AS priority, 'pending' AS status
            FROM unique_seeds us
            WHERE NOT EXISTS (
                SELECT 1 FROM existing_prompts ep WHERE ep.prompt = us.prompt
            )
            """;

    static final String PRIORITY = """
            UPDATE expansion_prompts SET priority = sub.rnk
            FROM (
                SELECT domain, RANK() OVER (ORDER BY cnt ASC) AS rnk
                FROM (
                    SELECT domain, count(*) AS cnt
                    FROM expansion_prompts
                    GROUP BY domain
                ) domain_counts
            ) sub
            WHERE expansion_prompts.domain = sub.domain
            """;

    static final String REGIONS = """
            SELECT
                CASE
                    WHEN region LIKE 'cn%' THEN 'cn'
                    WHEN region LIKE 'en%' THEN 'en'
                    WHEN region LIKE 'ru%' THEN 'ru'
                    WHEN region LIKE 'de%' THEN 'de'
                    WHEN region LIKE 'es%' THEN 'es'
                    WHEN region LIKE 'fr%' THEN 'fr'
                    WHEN region LIKE 'latam%' THEN 'latam'
                    WHEN region LIKE 'africa%' THEN 'africa'
                    WHEN region LIKE 'eu%' THEN 'eu'
                    WHEN region LIKE 'me%' THEN 'me'
                    ELSE 'other'
                END AS region_group,
                count(*) AS cnt
            FROM expansion_prompts
            GROUP BY region_group
            ORDER BY cnt DESC, region_group
            """;

    /**
     * Normalizes.
     *
     * @param db the database, read-write
     * @param minLength the least prompt length (go-ml's {@code --min-length}, 50)
     * @param out go-ml's lines
     * @return the number of expansion prompts created
     * @throws MlException {@code no seeds table (run import-all first)} or {@code seeds table is
     *     empty, nothing to normalize}
     */
    public static long run(LemDb db, int minLength, PrintWriter out) {
        if (!db.hasTable("seeds")) throw new MlException("no seeds table (run import-all first)");
        long seeds = db.scalarLong("SELECT count(*) FROM seeds");
        out.println("Seeds table: " + seeds + " rows");
        if (seeds == 0) throw new MlException("seeds table is empty, nothing to normalize");

        List<String> existing = new ArrayList<>();
        if (db.hasTable("prompts")) existing.add("SELECT prompt FROM prompts");
        if (db.hasTable("golden_set")) existing.add("SELECT prompt FROM golden_set");
        String existingSql = existing.isEmpty()
                ? "SELECT NULL::VARCHAR AS prompt WHERE false"
                : String.join("\nUNION ALL\n", existing);

        Connection c = db.connection();
        long created;
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS expansion_prompts");
                st.execute(CREATE.formatted(minLength, existingSql));
                created = db.scalarLong("SELECT count(*) FROM expansion_prompts");
                if (created > 0) st.execute(PRIORITY);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MlIOException("create expansion_prompts: " + e.getMessage(), new IOException(e));
        }
        out.println("Expansion prompts created: " + created + " (min length " + minLength
                + ", deduped, excluding existing)");
        if (created == 0) {
            out.println("No new expansion prompts to process.");
            return 0;
        }
        out.println("Priority assigned (underrepresented domains ranked higher).");
        out.println();
        out.println("Region distribution:");
        long total = 0;
        for (Map<String, Object> r : db.queryRows(REGIONS)) {
            long n = LemDb.toLong(r.get("cnt"));
            total += n;
            out.printf("  %-10s %6d%n", r.get("region_group"), n);
        }
        out.printf("  %-10s %6d%n", "-".repeat(10), total);
        out.printf("  %-10s %6d%n", "total", total);
        out.flush();
        return created;
    }
}
