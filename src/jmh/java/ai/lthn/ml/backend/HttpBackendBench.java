package ai.lthn.ml.backend;

import ai.lthn.ml.GenOpts;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
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
 * HttpBackend's cost per request against a loopback server that answers at once, next to a bare
 * OkHttp POST of the same body parsed the same minimal way, in the same run.
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar HttpBackendBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HttpBackendBench {
    private static final byte[] REPLY =
            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] REQUEST =
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"temperature\":0.1}"
                    .getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private HttpBackend backend;
    private OkHttpClient bare;
    private String url;

    @Setup(Level.Trial)
    public void start() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else Nagle costs ~40 ms a request
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.createContext("/v1/chat/completions", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, REPLY.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(REPLY);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        backend = HttpBackend.builder(url, "m").build();
        bare = new OkHttpClient();
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.stop(0);
    }

    @Benchmark
    public String httpBackend() {
        return backend.generate("hello", GenOpts.defaults());
    }

    /** The rich API on the same reply: request built from a {@link ChatRequest}, reply read as a tree. */
    @Benchmark
    public ChatResult httpBackendComplete() {
        return backend.complete(CHAT);
    }

    private static final ChatRequest CHAT = ChatRequest.builder(java.util.List.of(ai.lthn.ml.Message.user("hello")))
            .build();

    @Benchmark
    public String bareOkHttp() throws IOException {
        Request req = new Request.Builder()
                .url(url + "/v1/chat/completions")
                .post(RequestBody.create(REQUEST, MediaType.get("application/json")))
                .build();
        try (Response r = bare.newCall(req).execute()) {
            return r.body().string();
        }
    }
}
