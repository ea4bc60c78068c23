package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Exports the approved expansion responses as training examples (go-ml's {@code
 * ApproveExpansions}): every {@code expansion_raw} row whose {@code expansion_scores} row passed
 * the heuristic and did not fail the judge, in {@code idx} order, one {@code {"messages": [user,
 * assistant]}} line each (Go's {@code json.Encoder} output).
 *
 * <p>Beyond go-ml: rows are streamed from the database to the file (never all in memory), the
 * file is written atomically, and a threshold, when given, is applied ({@code heuristic_score >=
 * threshold}); go-ml accepted {@code --threshold} and ignored it.
 */
public final class Approve {
    static final String SQL = "SELECT r.idx, r.seed_id, r.region, r.domain, r.prompt, r.response, r.gen_time, r.model,"
            + " s.heuristic_score FROM expansion_raw r JOIN expansion_scores s ON r.idx = s.idx"
            + " WHERE s.heuristic_pass = true AND (s.judge_pass = true OR s.judge_pass IS NULL)";

    private Approve() {}

    /**
     * What was exported.
     *
     * @param approved rows written
     * @param regions distinct regions among them
     * @param domains distinct domains among them
     */
    public record Result(long approved, int regions, int domains) {}

    /**
     * Exports.
     *
     * @param db the database, opened read-only by the caller
     * @param output the JSONL file
     * @param threshold the least {@code heuristic_score} to keep; null for go-ml's selection alone
     * @param out go-ml's summary lines
     * @return the counts
     * @throws MlException {@code query approved expansions: ... (have you run scoring?)} when the
     *     tables are missing
     */
    public static Result run(LemDb db, Path output, Double threshold, PrintWriter out) {
        String sql = SQL + (threshold == null ? "" : " AND s.heuristic_score >= ?") + " ORDER BY r.idx";
        Object[] args = threshold == null ? new Object[0] : new Object[] {threshold};
        long[] count = {0};
        Set<String> regions = new HashSet<>();
        Set<String> domains = new HashSet<>();
        try { // before the output is touched: missing tables leave a previous file as it was
            db.queryRows(SQL + " AND false");
        } catch (MlIOException e) {
            throw new MlException("query approved expansions: " + e.getMessage() + " (have you run scoring?)", e);
        }
        {
            AtomicFiles.write(output, o -> {
                try {
                    db.forEachRow(
                            sql,
                            row -> {
                                String prompt = text(row.get("prompt"));
                                String response = text(row.get("response"));
                                try {
                                    o.write((TrainingJsonl.line(prompt, response) + "\n")
                                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                                count[0]++;
                                regions.add(text(row.get("region")));
                                domains.add(text(row.get("domain")));
                            },
                            args);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            });
        }
        out.printf("Approved: %d responses (threshold: heuristic > 0)%n", count[0]);
        out.printf("Exported: %s%n", output);
        out.printf("  Regions: %d, Domains: %d%n", regions.size(), domains.size());
        out.flush();
        return new Result(count[0], regions.size(), domains.size());
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
