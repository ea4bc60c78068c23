package ai.lthn.ml.score;

import ai.lthn.ml.backend.HttpBackend;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ScoreAllBench} over real HTTP: the judge is {@link HttpBackend} against a loopback JDK
 * HTTP server that answers every chat request after 50 ms. 1000 semantic calls at concurrency 16;
 * the ideal is 3.125 s. The server sets TCP_NODELAY (else Nagle and delayed ACKs add ~40 ms per
 * request on Linux loopback).
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar ScoreAllHttpBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ScoreAllHttpBench {
    private static final byte[] REPLY = ("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":"
                    + "\"{\\\"sovereignty\\\": 7, \\\"ethical_depth\\\": 6, \\\"creative_expression\\\": 5,"
                    + " \\\"self_concept\\\": 4}\"}}]}")
            .getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private ExecutorService serverThreads;
    private Engine engine;
    private List<Response> responses;

    @Setup
    public void setup() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        serverThreads = Executors.newFixedThreadPool(32);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                Thread.sleep(50);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, REPLY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(REPLY);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        engine = ScoreAllBench.engine(HttpBackend.builder(url, "judge").build());
        responses = ScoreAllBench.responses();
    }

    @TearDown
    public void tearDown() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Benchmark
    public EngineResult scoreAll() {
        EngineResult result = engine.scoreAll(responses);
        if (result.summary().judged() != 1000)
            throw new IllegalStateException("judge calls failed: " + result.summary());
        return result;
    }
}
