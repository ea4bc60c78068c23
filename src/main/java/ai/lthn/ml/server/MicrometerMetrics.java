package ai.lthn.ml.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** {@link ServerMetrics} into a Micrometer registry; loaded only when one is configured. */
final class MicrometerMetrics implements ServerMetrics {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
    private final Timer firstToken;
    private final DistributionSummary interToken;
    private final Counter promptTokens;
    private final Counter completionTokens;

    MicrometerMetrics(Object registry, IntSupplier inFlightStreams, IntSupplier queued, IntSupplier inFlightRequests) {
        this.registry = (MeterRegistry) registry;
        firstToken = Timer.builder("lthn.ml.time.to.first.token")
                .description("From the request's arrival to the model's first token")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(this.registry);
        interToken = DistributionSummary.builder("lthn.ml.inter.token.latency")
                .description("Mean gap between tokens of one generation")
                .baseUnit("seconds")
                .publishPercentileHistogram()
                .minimumExpectedValue(1e-6)
                .maximumExpectedValue(60.0)
                .register(this.registry);
        promptTokens = Counter.builder("lthn.ml.tokens").tag("kind", "prompt").register(this.registry);
        completionTokens =
                Counter.builder("lthn.ml.tokens").tag("kind", "completion").register(this.registry);
        Gauge.builder("lthn.ml.streams.in.flight", inFlightStreams::getAsInt)
                .description("Generations running")
                .register(this.registry);
        Gauge.builder("lthn.ml.queue.depth", queued::getAsInt)
                .description("Generations waiting for a slot")
                .register(this.registry);
        Gauge.builder("lthn.ml.requests.in.flight", inFlightRequests::getAsInt).register(this.registry);
    }

    @Override
    public void request(String route, int status, long nanos) {
        requests.computeIfAbsent(
                        route + ' ' + status,
                        k -> Timer.builder("lthn.ml.http.requests")
                                .tag("route", route)
                                .tag("status", Integer.toString(status))
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void firstToken(long nanos) {
        firstToken.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void generation(int prompt, int completion, long afterFirstNanos) {
        if (prompt > 0) promptTokens.increment(prompt);
        if (completion > 0) completionTokens.increment(completion);
        if (completion > 1) interToken.record(afterFirstNanos / 1e9 / (completion - 1));
    }

    @Override
    public void upstreamError(String code) {
        String c = code == null ? "error" : code;
        errors.computeIfAbsent(
                        c,
                        k -> Counter.builder("lthn.ml.upstream.errors")
                                .tag("code", k)
                                .register(registry))
                .increment();
    }

    @Override
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : null;
    }
}
