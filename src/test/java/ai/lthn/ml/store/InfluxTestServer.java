package ai.lthn.ml.store;

import ai.lthn.ml.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A real InfluxDB 1.x ({@code influxd}) on loopback ports in a temporary directory, started and
 * stopped by the test (reliability.md §3.1's recipe). {@link #available()} says whether the
 * binary is installed.
 */
public final class InfluxTestServer implements AutoCloseable {
    static final Path INFLUXD = Path.of("/usr/bin/influxd");

    private final Path dir;
    private final Path conf;
    private Process process;
    public final String url;

    public static boolean available() {
        return Files.isExecutable(INFLUXD);
    }

    /** A started server, or the calling test skipped with the package to install. */
    public static InfluxTestServer startOrSkip() throws Exception {
        requireInstalled();
        return new InfluxTestServer();
    }

    /** Skips the calling test, naming the package to install, when influxd is absent. */
    public static void requireInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                available(), "influxd not installed (apt-get install influxdb); skipping");
    }

    public InfluxTestServer() throws Exception {
        dir = Files.createTempDirectory("influx-test");
        int http = Ports.freeLoopbackPort();
        int rpc = Ports.freeLoopbackPort();
        conf = dir.resolve("influxdb.conf");
        Files.writeString(conf, """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [monitor]
                  store-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                  pprof-enabled = false
                [logging]
                  level = "warn"
                """.formatted(rpc, dir, dir, dir, http));
        url = "http://127.0.0.1:" + http;
        start();
    }

    /** Starts influxd (again, on the same ports and data) and waits until it answers /ping. */
    public void start() throws Exception {
        process = new ProcessBuilder(INFLUXD.toString(), "-config", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("influxd.log").toFile()))
                .start();
        InfluxClient probe = InfluxClient.builder(url, "x").build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!probe.ping()) {
            if (!process.isAlive())
                throw new IllegalStateException("influxd exited: " + Files.readString(dir.resolve("influxd.log")));
            if (System.nanoTime() > deadline) throw new IllegalStateException("influxd did not answer /ping in 30 s");
            Thread.sleep(50);
        }
    }

    /** Stops influxd (an outage); {@link #start()} brings it back with its data. */
    public void stop() throws Exception {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
