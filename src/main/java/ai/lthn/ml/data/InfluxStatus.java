package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import ai.lthn.ml.internal.GoFloats;
import ai.lthn.ml.store.InfluxClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-ml's InfluxDB reports: {@code ml status} ({@link #printStatus}: training status, latest
 * train loss and generation progress) and {@code ml live} ({@link #printLive}: golden-set
 * generation counts from {@code gold_gen}).
 *
 * <p>On InfluxDB 3 ({@link InfluxClient.Api#V3}) the queries are go-ml's SQL as is. On InfluxDB
 * 1.x they are InfluxQL: the status queries read the same (InfluxQL selects tags and fields
 * alike), but InfluxQL cannot {@code count(DISTINCT ...)} a tag (it returns no rows), and
 * {@code gold_gen}'s {@code i}, {@code d}, {@code v} and {@code w} are tags, so {@code ml live}
 * counts them with {@code SHOW TAG VALUES EXACT CARDINALITY FROM gold_gen WITH KEY = "i"} (per
 * worker with {@code WHERE "w" = '...'}, the workers listed by {@code SHOW TAG VALUES}).
 *
 * <p>Better than go-ml: worker counts print as integers (go-ml printed {@code %!s(float64=…)}),
 * and workers with equal counts are ordered by name.
 */
public final class InfluxStatus {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxStatus.class);

    /** The golden-set target (go-ml's {@code targetTotal}). */
    public static final int TARGET_TOTAL = 15000;

    static final String TRAINING_STATUS =
            "SELECT model, run_id, status, iteration, total_iters, pct FROM training_status ORDER BY time DESC LIMIT 10";
    static final String TRAINING_LOSS = "SELECT model, loss_type, loss, iteration, tokens_per_sec FROM training_loss"
            + " WHERE loss_type = 'train' ORDER BY time DESC LIMIT 10";
    static final String GOLDEN_PROGRESS =
            "SELECT worker, completed, target, pct FROM golden_gen_progress ORDER BY time DESC LIMIT 5";
    static final String EXPANSION_PROGRESS =
            "SELECT worker, completed, target, pct FROM expansion_progress ORDER BY time DESC LIMIT 5";

    private InfluxStatus() {}

    // ---- ml status ---------------------------------------------------------------------------

    /** One model's latest training state. */
    record TrainingRow(String model, String status, long iteration, long totalIters, double pct, Double loss) {}

    /** One worker's latest generation progress. */
    record GenRow(String worker, long completed, long target, double pct) {}

    /**
     * go-ml's {@code PrintStatus}: runs the four status queries (a failing query counts as no
     * rows, logged at debug) and prints the report.
     *
     * @param influx the InfluxDB to query (v1 InfluxQL or v3 SQL by its API)
     * @param out where the report is printed
     */
    public static void printStatus(InfluxClient influx, PrintWriter out) {
        Objects.requireNonNull(influx, "influx");
        Objects.requireNonNull(out, "out");
        List<Map<String, Object>> status = rowsOrNone(influx, TRAINING_STATUS);
        List<Map<String, Object>> loss = rowsOrNone(influx, TRAINING_LOSS);
        List<Map<String, Object>> golden = rowsOrNone(influx, GOLDEN_PROGRESS);
        List<Map<String, Object>> expansion = rowsOrNone(influx, EXPANSION_PROGRESS);
        formatStatus(dedupeTraining(status, loss), dedupeGeneration(golden), dedupeGeneration(expansion), out);
    }

    static void formatStatus(List<TrainingRow> training, List<GenRow> golden, List<GenRow> expansion, PrintWriter out) {
        out.println("Training:");
        if (training.isEmpty()) out.println("  (no data)");
        for (TrainingRow t : training) {
            String progress = t.iteration() + "/" + t.totalIters();
            String pct = GoFloats.fixed(t.pct(), 1) + "%";
            if (t.loss() != null)
                out.printf(
                        "  %-13s %-9s %9s %7s  loss=%s%n",
                        t.model(), t.status(), progress, pct, GoFloats.fixed(t.loss(), 3));
            else out.printf("  %-13s %-9s %9s %7s%n", t.model(), t.status(), progress, pct);
        }
        out.println();
        out.println("Generation:");
        for (GenRow g : golden) generation(out, "golden", g);
        for (GenRow g : expansion) generation(out, "expansion", g);
        if (golden.isEmpty() && expansion.isEmpty()) out.println("  (no data)");
    }

    private static void generation(PrintWriter out, String kind, GenRow g) {
        out.printf(
                "  %-13s %11s %7s  (%s)%n",
                kind, g.completed() + "/" + g.target(), GoFloats.fixed(g.pct(), 1) + "%", g.worker());
    }

    /** The first (latest) status row per non-empty model, with the first loss row's loss, sorted by model. */
    static List<TrainingRow> dedupeTraining(List<Map<String, Object>> statusRows, List<Map<String, Object>> lossRows) {
        Map<String, Double> loss = new HashMap<>();
        for (Map<String, Object> row : lossRows) {
            String model = str(row, "model");
            if (!model.isEmpty()) loss.putIfAbsent(model, num(row, "loss"));
        }
        Set<String> seen = new HashSet<>();
        List<TrainingRow> rows = new ArrayList<>();
        for (Map<String, Object> row : statusRows) {
            String model = str(row, "model");
            if (model.isEmpty() || !seen.add(model)) continue;
            rows.add(new TrainingRow(
                    model,
                    str(row, "status"),
                    (long) num(row, "iteration"),
                    (long) num(row, "total_iters"),
                    num(row, "pct"),
                    loss.get(model)));
        }
        rows.sort(Comparator.comparing(TrainingRow::model));
        return rows;
    }

    /** The first (latest) row per non-empty worker, sorted by worker. */
    static List<GenRow> dedupeGeneration(List<Map<String, Object>> rows) {
        Set<String> seen = new HashSet<>();
        List<GenRow> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String worker = str(row, "worker");
            if (worker.isEmpty() || !seen.add(worker)) continue;
            out.add(new GenRow(worker, (long) num(row, "completed"), (long) num(row, "target"), num(row, "pct")));
        }
        out.sort(Comparator.comparing(GenRow::worker));
        return out;
    }

    // ---- ml live -----------------------------------------------------------------------------

    /** One worker's count of distinct generations. */
    public record WorkerCount(String worker, long generations) {}

    /**
     * The live golden-set counts.
     *
     * @param total distinct {@code i}
     * @param domains distinct {@code d}
     * @param voices distinct {@code v}
     * @param workers distinct {@code i} per {@code w}, most first
     */
    public record Live(long total, long domains, long voices, List<WorkerCount> workers) {
        /**
         * Copies the list.
         *
         * @param total distinct {@code i}
         * @param domains distinct {@code d}
         * @param voices distinct {@code v}
         * @param workers distinct {@code i} per {@code w}, most first
         */
        public Live {
            workers = List.copyOf(workers);
        }
    }

    /**
     * Queries the live counts from {@code gold_gen}.
     *
     * @throws MlException when a query fails (go-ml's {@code live: query total: ...})
     * @param influx the InfluxDB to query (v1 InfluxQL or v3 SQL by its API)
     * @return the totals and per-worker counts
     */
    public static Live live(InfluxClient influx) {
        Objects.requireNonNull(influx, "influx");
        if (influx.api() == InfluxClient.Api.V3) {
            long total = scalar(sql(influx, "total", "SELECT count(DISTINCT i) AS n FROM gold_gen"));
            long domains = scalar(sql(influx, "domains", "SELECT count(DISTINCT d) AS n FROM gold_gen"));
            long voices = scalar(sql(influx, "voices", "SELECT count(DISTINCT v) AS n FROM gold_gen"));
            List<WorkerCount> workers = new ArrayList<>();
            for (Map<String, Object> row :
                    sql(influx, "workers", "SELECT w, count(DISTINCT i) AS n FROM gold_gen GROUP BY w ORDER BY n DESC"))
                workers.add(new WorkerCount(String.valueOf(row.get("w")), toLong(row.get("n"))));
            return new Live(total, domains, voices, sorted(workers));
        }
        long total = scalar(influxQl(influx, "total", cardinality("i", null)));
        long domains = scalar(influxQl(influx, "domains", cardinality("d", null)));
        long voices = scalar(influxQl(influx, "voices", cardinality("v", null)));
        List<WorkerCount> workers = new ArrayList<>();
        for (Map<String, Object> row : influxQl(influx, "workers", "SHOW TAG VALUES FROM gold_gen WITH KEY = \"w\"")) {
            String w = String.valueOf(row.get("value"));
            workers.add(new WorkerCount(w, scalar(influxQl(influx, "workers", cardinality("i", w)))));
        }
        return new Live(total, domains, voices, sorted(workers));
    }

    /**
     * Queries and prints go-ml's {@code ml live} report.
     *
     * @param influx the InfluxDB to query (v1 InfluxQL or v3 SQL by its API)
     * @param out where the report is printed
     */
    public static void printLive(InfluxClient influx, PrintWriter out) {
        formatLive(live(influx), out);
    }

    /**
     * go-ml's {@code ml live} report, with the worker counts as integers.
     *
     * @param live the counts to print
     * @param out where the report is printed
     */
    public static void formatLive(Live live, PrintWriter out) {
        double pct = (double) live.total() / TARGET_TOTAL * 100;
        out.println("Golden Set Live Status (from InfluxDB)");
        out.println("\u2500".repeat(45));
        out.printf("  Total:     %d / %d (%s%%)%n", live.total(), TARGET_TOTAL, GoFloats.fixed(pct, 1));
        out.printf("  Remaining: %d%n", TARGET_TOTAL - live.total());
        out.printf("  Domains:   %d%n", live.domains());
        out.printf("  Voices:    %d%n", live.voices());
        out.println();
        out.println("  Workers:");
        for (WorkerCount w : live.workers())
            out.printf(
                    "    %-20s %6d generations%s%n",
                    w.worker(), w.generations(), w.worker().equals("migration") ? " (seed data)" : "");
    }

    /** InfluxQL for the exact number of values of tag {@code key} in gold_gen, for one worker when {@code w} is set. */
    static String cardinality(String key, String w) {
        String q = "SHOW TAG VALUES EXACT CARDINALITY FROM gold_gen WITH KEY = \"" + key + "\"";
        return w == null ? q : q + " WHERE \"w\" = '" + w.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static List<WorkerCount> sorted(List<WorkerCount> workers) {
        workers.sort(
                Comparator.comparingLong(WorkerCount::generations).reversed().thenComparing(WorkerCount::worker));
        return workers;
    }

    private static List<Map<String, Object>> sql(InfluxClient influx, String what, String q) {
        try {
            return influx.querySql(q);
        } catch (MlException e) {
            throw new MlException("live: query " + what + ": " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> influxQl(InfluxClient influx, String what, String q) {
        try {
            return influx.query(q);
        } catch (MlException e) {
            throw new MlException("live: query " + what + ": " + e.getMessage(), e);
        }
    }

    /** go-ml's {@code sqlScalar}: the first value of the first row as an integer, 0 when none. */
    static long scalar(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) return 0;
        for (Map.Entry<String, Object> e : rows.get(0).entrySet()) {
            if (e.getKey().equals("time")) continue; // InfluxQL's extra column
            return toLong(e.getValue());
        }
        return 0;
    }

    // ---- values, as go-ml read them ----------------------------------------------------------

    private static List<Map<String, Object>> rowsOrNone(InfluxClient influx, String q) {
        try {
            return influx.api() == InfluxClient.Api.V3 ? influx.querySql(q) : influx.query(q);
        } catch (MlException e) {
            LOG.debug("status query failed, treated as no rows: {} ({})", e.getMessage(), q);
            return List.of();
        }
    }

    /** go-ml's {@code strVal}: the value when it is a string, else empty. */
    private static String str(Map<String, Object> row, String key) {
        return row.get(key) instanceof String s ? s : "";
    }

    /** go-ml's {@code floatVal}: the value when it is a number, else 0. */
    private static double num(Map<String, Object> row, String key) {
        return row.get(key) instanceof Number n ? n.doubleValue() : 0;
    }

    /** go-ml's {@code toInt}: a number, truncated; 0 otherwise. */
    private static long toLong(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }
}
