package ai.lthn.ml.server;

import ai.lthn.ml.backend.HttpBackend;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ml serve} in front of a loopback upstream that streams 200 tokens at once: a plain
 * streamed chat request (the token path: {@code HttpTextModel}, {@code TokenPump}, precomputed
 * chunk prefixes) next to the same request with {@code "user"} set, which takes the pass-through
 * path ({@code ChatStream}, {@code StepPump}, chunks built as trees), in the same run.
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar PassThroughBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PassThroughBench {
    private HttpServer upstream;
    private OpenAiServer server;
    private HttpClient client;
    private URI chat;
    private static final String PLAIN = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true}";
    private static final String RICH =
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true,\"user\":\"bench\"}";

    @Setup(Level.Trial)
    public void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < 200; i++)
            sse.append("data: {\"id\":\"u\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,")
                    .append("\"delta\":{\"content\":\" tok")
                    .append(i)
                    .append("\"},\"finish_reason\":null}]}\n\n");
        sse.append("data: {\"id\":\"u\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sse.append("data: [DONE]\n\n");
        byte[] body = sse.toString().getBytes(StandardCharsets.UTF_8);
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        upstream.createContext("/v1/chat/completions", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.setExecutor(Executors.newFixedThreadPool(2));
        upstream.start();
        String url = "http://127.0.0.1:" + upstream.getAddress().getPort();
        server = OpenAiServer.builder(HttpBackend.builder(url, "m").build().textModel())
                .drain(Duration.ZERO)
                .build()
                .start();
        client = HttpClient.newHttpClient();
        chat = URI.create(server.url() + "/v1/chat/completions");
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
        upstream.stop(0);
    }

    private String post(String body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(chat)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String reply = client.send(r, HttpResponse.BodyHandlers.ofString()).body();
        if (!reply.endsWith("data: [DONE]\n\n")) throw new IllegalStateException("incomplete: " + reply);
        return reply;
    }

    @Benchmark
    public String tokenPath() throws Exception {
        return post(PLAIN);
    }

    @Benchmark
    public String passThrough() throws Exception {
        return post(RICH);
    }
}
