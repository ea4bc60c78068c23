package ai.lthn.ml.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What recording one generation request costs the server with a Prometheus registry: the calls
 * {@code ApiHandler} and {@code Generation} make per request (first token, generation, request),
 * against the no-op {@link ServerMetrics#NONE}. Divided by a request's time ({@code ServerLoad
 * -Dlthn.overhead=true}), this is the bound on /metrics' overhead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsRecordBench {
    private ServerMetrics metered;
    private long n;

    @Setup
    public void setUp() {
        metered =
                new MicrometerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> 0, () -> 0, () -> 0);
    }

    private static void oneRequest(ServerMetrics m, long n) {
        m.firstToken(150_000 + (n & 1023));
        m.generation(12, 16, 40_000 + (n & 511));
        m.request("/v1/chat/completions", 200, 200_000 + (n & 2047));
    }

    @Benchmark
    public long none() {
        oneRequest(ServerMetrics.NONE, ++n);
        return n;
    }

    @Benchmark
    public long prometheus() {
        oneRequest(metered, ++n);
        return n;
    }
}
