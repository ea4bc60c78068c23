package ai.lthn.ml.score;

import ai.lthn.ml.testing.FakeBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine.scoreAll over 1000 responses (heuristic + semantic) with a fake judge that answers in
 * 50 ms, at concurrency 16. The ideal wall time is 1000 / 16 × 50 ms = 3.125 s.
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar ScoreAllBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ScoreAllBench {
    /** With a run ledger recording every judge call (issue 17: its overhead), or without. */
    @org.openjdk.jmh.annotations.Param({"false", "true"})
    public boolean ledger;

    private Engine engine;
    private List<Response> responses;
    private Ledger open;

    @Setup(org.openjdk.jmh.annotations.Level.Iteration)
    public void setup() throws java.io.IOException {
        FakeBackend judge = FakeBackend.builder()
                .latency(Duration.ofMillis(50))
                .answer(c ->
                        "{\"sovereignty\": 7, \"ethical_depth\": 6, \"creative_expression\": 5, \"self_concept\": 4}")
                .build();
        if (ledger) {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("bench", ".ledger");
            open = Ledger.open(file, "bench", false, false); // a fresh ledger: every call is made and recorded
            engine = engine(open.wrap(judge));
        } else {
            engine = engine(judge);
        }
        responses = responses();
    }

    @org.openjdk.jmh.annotations.TearDown(org.openjdk.jmh.annotations.Level.Iteration)
    public void tearDown() {
        if (open != null) open.close();
    }

    /** The engine both ScoreAll benchmarks run: heuristic + semantic at concurrency 16. */
    static Engine engine(ai.lthn.ml.Backend judge) {
        return Engine.builder(Judge.of(judge))
                .suites(Suite.parse("heuristic,semantic"))
                .concurrency(16)
                .build();
    }

    /** 1000 responses of about 1.3 KB over three models. */
    static List<Response> responses() {
        List<Response> out = new ArrayList<>();
        String text = "I think the honest answer is that it depends on what you value. ".repeat(20);
        for (int i = 0; i < 1000; i++)
            out.add(new Response("p" + i, "", "prompt " + i, text, "m" + (i % 3), 0, "", "", ""));
        return out;
    }

    @Benchmark
    public EngineResult scoreAll() {
        return engine.scoreAll(responses);
    }
}
