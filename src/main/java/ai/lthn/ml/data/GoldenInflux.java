package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.Point;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Golden-set statistics and records into InfluxDB: go-ml's {@code PushMetrics} ({@code ml
 * metrics}) and {@code SeedInflux} ({@code ml seed-influx}). Points go through the durable {@link
 * BufferedInfluxWriter}: with InfluxDB down they wait in its outbox for the next run instead of
 * failing the command half-way (go-ml returned an error after the batches already sent).
 */
public final class GoldenInflux {
    private GoldenInflux() {}

    /**
     * go-ml's {@code PushMetrics}: one {@code golden_set_stats} point, one {@code
     * golden_set_domain} per domain and one {@code golden_set_voice} per voice, written as one batch.
     *
     * @param db the database (read-only is enough)
     * @param writer where the points go
     * @param out go-ml's lines
     * @return the points written (0 when the golden set is empty)
     */
    public static int pushMetrics(LemDb db, BufferedInfluxWriter writer, PrintWriter out) {
        db.requireTable("golden_set");
        Map<String, Object> s = db.queryRows("SELECT count(*) AS total, count(DISTINCT domain) AS domains,"
                        + " count(DISTINCT voice) AS voices, coalesce(avg(gen_time), 0) AS gt,"
                        + " coalesce(avg(char_count), 0) AS cc FROM golden_set")
                .get(0);
        long total = LemDb.toLong(s.get("total"));
        if (total == 0) {
            out.println("golden_set is empty, nothing to push");
            out.flush();
            return 0;
        }
        long domains = LemDb.toLong(s.get("domains"));
        long voices = LemDb.toLong(s.get("voices"));
        double avgGen = LemDb.toDouble(s.get("gt"));
        double avgChars = LemDb.toDouble(s.get("cc"));
        double pct = (double) total / LemDb.TARGET_TOTAL * 100.0;
        long ts = Point.builder("t").field("f", 1L).build().timestampNanos(); // one stamp for the batch, as go-ml
        List<Point> points = new ArrayList<>();
        points.add(Point.builder("golden_set_stats")
                .field("total_examples", total)
                .field("domains", domains)
                .field("voices", voices)
                .field("avg_gen_time", round(avgGen, 2))
                .field("avg_response_chars", round(avgChars, 0))
                .field("completion_pct", round(pct, 1))
                .timestampNanos(ts)
                .build());
        for (Map<String, Object> r : db.queryRows("SELECT domain, count(*) AS cnt, coalesce(avg(gen_time), 0) AS avg_gt"
                + " FROM golden_set GROUP BY domain ORDER BY domain"))
            points.add(Point.builder("golden_set_domain")
                    .tag("domain", LemDb.str(r.get("domain")))
                    .field("count", LemDb.toLong(r.get("cnt")))
                    .field("avg_gen_time", round(LemDb.toDouble(r.get("avg_gt")), 2))
                    .timestampNanos(ts)
                    .build());
        for (Map<String, Object> r :
                db.queryRows("SELECT voice, count(*) AS cnt, coalesce(avg(char_count), 0) AS avg_cc,"
                        + " coalesce(avg(gen_time), 0) AS avg_gt FROM golden_set GROUP BY voice ORDER BY voice"))
            points.add(Point.builder("golden_set_voice")
                    .tag("voice", LemDb.str(r.get("voice")))
                    .field("count", LemDb.toLong(r.get("cnt")))
                    .field("avg_chars", round(LemDb.toDouble(r.get("avg_cc")), 0))
                    .field("avg_gen_time", round(LemDb.toDouble(r.get("avg_gt")), 2))
                    .timestampNanos(ts)
                    .build());
        BufferedInfluxWriter.Result res = writer.write(points);
        out.println((res == BufferedInfluxWriter.Result.WRITTEN ? "Pushed " : "Buffered (InfluxDB unavailable) ")
                + points.size() + " points to InfluxDB");
        out.println("  total=" + total + "  domains=" + domains + "  voices=" + voices + "  completion="
                + GoFmt.fixed(pct, 1) + "%");
        out.println("  avg_gen_time=" + GoFmt.fixed(avgGen, 2) + "s  avg_chars=" + GoFmt.fixed(avgChars, 0));
        out.flush();
        return points.size();
    }

    /**
     * How many distinct {@code i} tags {@code gold_gen} has, or 0 when InfluxDB cannot say
     * (go-ml's behaviour on a failed query).
     *
     * @param influx the server
     * @return the count
     */
    public static long existingGoldGen(InfluxClient influx) {
        try {
            List<Map<String, Object>> rows = influx.api() == InfluxClient.Api.V3
                    ? influx.querySql("SELECT count(DISTINCT i) AS n FROM gold_gen")
                    : influx.query("SHOW TAG VALUES EXACT CARDINALITY FROM \"gold_gen\" WITH KEY = \"i\"");
            if (rows.isEmpty()) return 0;
            Object v = rows.get(0).containsKey("n")
                    ? rows.get(0).get("n")
                    : rows.get(0).get("count");
            return v instanceof Number n ? n.longValue() : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * go-ml's {@code SeedInflux}: every golden-set row as a {@code gold_gen} point tagged {@code
     * w=migration}, streamed from the database in batches.
     *
     * @param db the database (read-only is enough)
     * @param existing distinct records InfluxDB already has ({@link #existingGoldGen})
     * @param writer where the points go
     * @param force seed even when InfluxDB has them all
     * @param batchSize points per write (go-ml: 500 when not positive)
     * @param out go-ml's lines
     * @return the records written (or buffered)
     */
    public static long seed(
            LemDb db, long existing, BufferedInfluxWriter writer, boolean force, int batchSize, PrintWriter out) {
        if (!db.hasTable("golden_set")) throw new MlException("no golden_set table (run import-all first)");
        int batch = batchSize <= 0 ? 500 : batchSize;
        long total = db.scalarLong("SELECT count(*) FROM golden_set");
        out.println("DuckDB has " + total + " records, InfluxDB golden_gen has " + existing);
        if (existing >= total && !force) {
            out.println("InfluxDB already has all records. Use --force to re-seed.");
            out.flush();
            return 0;
        }
        List<Point> pending = new ArrayList<>(batch);
        long[] written = {0};
        boolean[] buffered = {false};
        Runnable flush = () -> {
            if (writer.write(pending) == BufferedInfluxWriter.Result.BUFFERED) buffered[0] = true;
            written[0] += pending.size();
            pending.clear();
        };
        db.forEachRow("SELECT idx, seed_id, domain, voice, gen_time, char_count FROM golden_set ORDER BY idx", r -> {
            pending.add(Point.builder("gold_gen")
                    .tag("i", Long.toString(LemDb.toLong(r.get("idx"))))
                    .tag("w", "migration")
                    .tag("d", LemDb.str(r.get("domain")))
                    .tag("v", LemDb.str(r.get("voice")))
                    .field("seed_id", LemDb.str(r.get("seed_id")))
                    .field("gen_time", LemDb.toDouble(r.get("gen_time")))
                    .field("chars", LemDb.toLong(r.get("char_count")))
                    .build());
            if (pending.size() >= batch) {
                flush.run();
                if (written[0] % 2000 == 0) {
                    out.println("  wrote " + written[0] + " / " + total);
                    out.flush();
                }
            }
        });
        if (!pending.isEmpty()) flush.run();
        out.println("Seeded " + written[0] + " records into InfluxDB golden_gen");
        if (buffered[0]) out.println("  (InfluxDB was unavailable: some points wait in the outbox for the next run)");
        out.flush();
        return written[0];
    }

    private static double round(double v, int places) {
        return new BigDecimal(v).setScale(places, RoundingMode.HALF_EVEN).doubleValue();
    }
}
