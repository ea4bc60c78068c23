package ai.lthn.ml.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Points per second through {@link BufferedInfluxWriter} to a real InfluxDB (run, don't assert):
 * written directly at several batch sizes; buffered in the outbox while InfluxDB is unreachable;
 * and replayed from the outbox once it is back. Start an influxd first (reliability.md §3.1).
 *
 * <p>{@code java -cp target/benchmarks.jar ai.lthn.ml.store.InfluxWriteLoad http://127.0.0.1:8086 200000 [nagle]}
 * ({@code nagle}: a plain OkHttp client, Nagle's algorithm on, instead of the library's shared one)
 */
public final class InfluxWriteLoad {
    private InfluxWriteLoad() {}

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8086";
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        InfluxClient.Builder cb = InfluxClient.builder(url, "load");
        if (args.length > 2 && args[2].equals("nagle")) // the JDK's default sockets, for comparison
        cb.client(new okhttp3.OkHttpClient());
        InfluxClient client = cb.build();
        client.createDatabase();
        Path dir = Files.createTempDirectory("influx-load");
        for (int batch : new int[] {100, 1_000, 5_000}) {
            for (int round = 0; round < 2; round++) { // the first round warms up
                BufferedInfluxWriter w =
                        new BufferedInfluxWriter(client, Outbox.open(dir.resolve("o" + batch + round)));
                long t0 = System.nanoTime();
                int sent = 0;
                while (sent < total) {
                    List<Point> points = points(batch, (long) round * total + sent, "direct" + batch);
                    if (w.write(points) != BufferedInfluxWriter.Result.WRITTEN)
                        throw new IllegalStateException("buffered");
                    sent += points.size();
                }
                report("written, batches of " + batch + (round == 0 ? " (warm-up)" : ""), sent, t0);
            }
        }
        // InfluxDB unreachable: everything goes to the outbox (fsynced entries)
        InfluxClient dead = InfluxClient.builder("http://127.0.0.1:1", "load").build();
        Outbox outbox = Outbox.open(dir.resolve("outage"));
        BufferedInfluxWriter down = new BufferedInfluxWriter(dead, outbox);
        int buffered = Math.min(total, 50_000);
        long t0 = System.nanoTime();
        for (int sent = 0; sent < buffered; sent += 1_000) down.write(points(1_000, 10L * total + sent, "outage"));
        report("buffered while down, batches of 1000", buffered, t0);
        // back: the outbox replays to the live server
        BufferedInfluxWriter back = new BufferedInfluxWriter(client, outbox);
        t0 = System.nanoTime();
        Outbox.DrainResult r = back.replay();
        report("replayed from the outbox (" + r.delivered() + " entries)", buffered, t0);
        long stored = ((Number) client.query("SELECT count(\"value\") FROM \"load\" WHERE \"run\" = 'outage'")
                        .get(0)
                        .get("count"))
                .longValue();
        System.out.println("outage points stored: " + stored + " of " + buffered);
    }

    private static List<Point> points(int n, long first, String run) {
        List<Point> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long k = first + i;
            out.add(Point.builder("load")
                    .tag("run", run)
                    .tag("probe", "p" + (k % 23))
                    .field("value", k * 0.5)
                    .field("iteration", k)
                    .timestampNanos(1_700_000_000_000_000_000L + k)
                    .build());
        }
        return out;
    }

    private static void report(String what, int points, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-48s %9d points %7.2f s %10.0f points/s%n", what, points, s, points / s);
    }
}
