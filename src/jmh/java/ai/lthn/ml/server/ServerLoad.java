package ai.lthn.ml.server;

import ai.lthn.ml.Message;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A load generator for the server's figures (run, don't assert):
 * <ol>
 *   <li>one stream of 200k tokens from a zero-latency ScriptedTextModel: tokens/s delivered;
 *   <li>64 concurrent streams of 5k tokens: all complete, in order; aggregate tokens/s;
 *   <li>time to first token over HTTP against pulling the model directly: p50/p99 of 2000;
 *   <li>client disconnect to the model's stream closed: p50/max of 30.
 * </ol>
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -cp target/benchmarks.jar ai.lthn.ml.server.ServerLoad}
 */
public final class ServerLoad {
    private ServerLoad() {}

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("lthn.overhead")) {
            metricsOverhead();
            return;
        }
        singleStream();
        concurrentStreams();
        timeToFirstToken();
        disconnectLatency();
    }

    /** {@code -Dlthn.metrics=true}: the same runs with a Prometheus registry recording (its overhead). */
    private static OpenAiServer.Builder builder(ai.lthn.ml.inference.TextModel model) {
        OpenAiServer.Builder b = OpenAiServer.builder(model);
        if (Boolean.getBoolean("lthn.metrics"))
            b.metrics(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
        return b;
    }

    /**
     * {@code -Dlthn.overhead=true}: the cost of recording metrics. Two servers in one JVM over the
     * same model, A without a registry and B with a Prometheus registry, take turns: each pair runs
     * one batch of sequential streamed requests ({@code lthn.overhead.requests}, new connection each,
     * {@code lthn.overhead.tokens} tokens each) on A and on B back to back, the order alternating
     * between pairs (ABBAAB...) so a drift in machine load falls on both. Prints the B/A time ratio
     * of each pair's batches: median, quartiles and range.
     */
    private static void metricsOverhead() throws Exception {
        int pairs = Integer.getInteger("lthn.overhead.pairs", 40);
        int requests = Integer.getInteger("lthn.overhead.requests", 300);
        int tokens = Integer.getInteger("lthn.overhead.tokens", 16);
        ScriptedTextModel model = numbered(tokens, "t");
        var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        try (OpenAiServer plain =
                        OpenAiServer.builder(model).maxTokens(tokens).build().start();
                OpenAiServer metered = OpenAiServer.builder(model)
                        .maxTokens(tokens)
                        .metrics(registry)
                        .build()
                        .start()) {
            for (int w = 0; w < 3; w++) { // warm-up: both paths compiled before measuring
                batch(plain, requests, tokens);
                batch(metered, requests, tokens);
            }
            if (Boolean.getBoolean("lthn.overhead.interleaved")) {
                interleaved(plain, metered, pairs * requests, tokens);
                return;
            }
            double[] ratio = new double[pairs];
            double[] perA = new double[pairs];
            double[] perB = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                long a;
                long b;
                if (i % 2 == 0) {
                    a = batch(plain, requests, tokens);
                    b = batch(metered, requests, tokens);
                } else {
                    b = batch(metered, requests, tokens);
                    a = batch(plain, requests, tokens);
                }
                ratio[i] = (double) b / a;
                perA[i] = a / 1e3 / requests;
                perB[i] = b / 1e3 / requests;
            }
            if (!registry.scrape().contains("lthn_ml_http_requests_seconds_count"))
                throw new IllegalStateException("the metered server recorded nothing");
            Arrays.sort(ratio);
            Arrays.sort(perA);
            Arrays.sort(perB);
            System.out.printf(
                    "metrics overhead, %d pairs x %d requests of %d tokens: B/A median %.4f, quartiles %.4f..%.4f,"
                            + " range %.4f..%.4f; per request median A %.1f us, B %.1f us%n",
                    pairs,
                    requests,
                    tokens,
                    ratio[pairs / 2],
                    ratio[pairs / 4],
                    ratio[pairs * 3 / 4],
                    ratio[0],
                    ratio[pairs - 1],
                    perA[pairs / 2],
                    perB[pairs / 2]);
        }
    }

    /**
     * {@code -Dlthn.overhead.interleaved=true}: A and B take turns request by request (AB, then BA),
     * so both see the same machine load at the same moment; the latencies are split into blocks of
     * 500 pairs and each block gives median(B) / median(A). Prints the median, quartiles and range
     * of the block ratios and the overall median latencies.
     */
    private static void interleaved(OpenAiServer plain, OpenAiServer metered, int n, int tokens) throws Exception {
        int block = 500;
        int blocks = Math.max(1, n / block);
        double[] ratios = new double[blocks];
        long[] allA = new long[blocks * block];
        long[] allB = new long[blocks * block];
        for (int k = 0; k < blocks; k++) {
            long[] a = new long[block];
            long[] b = new long[block];
            for (int i = 0; i < block; i++) {
                if (i % 2 == 0) {
                    a[i] = batch(plain, 1, tokens);
                    b[i] = batch(metered, 1, tokens);
                } else {
                    b[i] = batch(metered, 1, tokens);
                    a[i] = batch(plain, 1, tokens);
                }
            }
            System.arraycopy(a, 0, allA, k * block, block);
            System.arraycopy(b, 0, allB, k * block, block);
            Arrays.sort(a);
            Arrays.sort(b);
            ratios[k] = (double) b[block / 2] / a[block / 2];
        }
        Arrays.sort(ratios);
        Arrays.sort(allA);
        Arrays.sort(allB);
        System.out.printf(
                "metrics overhead, interleaved, %d blocks x %d request pairs of %d tokens: median(B)/median(A)"
                        + " per block: median %.4f, quartiles %.4f..%.4f, range %.4f..%.4f; overall median A %.1f us,"
                        + " B %.1f us (ratio %.4f)%n",
                blocks,
                block,
                tokens,
                ratios[blocks / 2],
                ratios[blocks / 4],
                ratios[blocks * 3 / 4],
                ratios[0],
                ratios[blocks - 1],
                allA[allA.length / 2] / 1e3,
                allB[allB.length / 2] / 1e3,
                (double) allB[allB.length / 2] / allA[allA.length / 2]);
    }

    /** {@code n} sequential streamed requests, each read to its end; the nanoseconds they took. */
    private static long batch(OpenAiServer server, int n, int tokens) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (Socket s = open(server.port())) {
                int got = drain(s, "t");
                if (got != tokens) throw new IllegalStateException("got " + got + " tokens");
            }
        }
        return System.nanoTime() - start;
    }

    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"go\"}],\"stream\":true}";

    /** Sends a streaming request on a raw socket; returns the socket with the response unread. */
    private static Socket open(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        out.write(
                ("POST /v1/chat/completions HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                                + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY)
                        .getBytes(StandardCharsets.UTF_8));
        out.flush();
        return s;
    }

    /** Reads a whole streamed response; returns the number of content chunks, checking their order. */
    private static int drain(Socket s, String prefix) throws Exception {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        int n = 0;
        for (String line; (line = in.readLine()) != null; ) {
            int at = line.indexOf("\"content\":\"");
            if (at < 0) continue;
            String expected = prefix + n + " ";
            if (!line.startsWith(expected, at + 11))
                throw new IllegalStateException("out of order at " + n + ": " + line);
            n++;
        }
        return n;
    }

    private static ScriptedTextModel numbered(int count, String prefix) {
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) tokens.add(prefix + i + " ");
        return ScriptedTextModel.builder().tokens(tokens).build();
    }

    private static void singleStream() throws Exception {
        int tokens = 200_000;
        try (OpenAiServer server =
                builder(numbered(tokens, "t")).maxTokens(tokens).build().start()) {
            for (int round = 0; round < 6; round++) {
                long start = System.nanoTime();
                int got;
                try (Socket s = open(server.port())) {
                    got = drain(s, "t");
                }
                double secs = (System.nanoTime() - start) / 1e9;
                if (got != tokens) throw new IllegalStateException("got " + got);
                System.out.printf(
                        "single stream round %d: %,d tokens in %.3f s = %,.0f tokens/s%n",
                        round, got, secs, got / secs);
            }
        }
    }

    private static void concurrentStreams() throws Exception {
        int clients = 64;
        int tokens = 5_000;
        try (OpenAiServer server = builder(numbered(tokens, "t"))
                .maxTokens(tokens)
                .concurrency(clients, 0, Duration.ZERO)
                .build()
                .start()) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                List<Future<Integer>> all = new ArrayList<>();
                for (int c = 0; c < clients; c++)
                    all.add(pool.submit(() -> {
                        try (Socket s = open(server.port())) {
                            return drain(s, "t");
                        }
                    }));
                long total = 0;
                for (Future<Integer> f : all) {
                    int got = f.get();
                    if (got != tokens) throw new IllegalStateException("a client got " + got);
                    total += got;
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        "64 streams round %d: all complete, in order; %,d tokens in %.3f s = %,.0f tokens/s%n",
                        round, total, secs, total / secs);
            }
            pool.shutdownNow();
        }
    }

    private static void timeToFirstToken() throws Exception {
        ScriptedTextModel model = ScriptedTextModel.of("first", " second");
        int n = 2000;
        long[] direct = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            try (TokenStream t = model.chat(List.of(Message.user("go")), GenerateConfig.defaults())) {
                t.next();
            }
            direct[i] = System.nanoTime() - start;
        }
        long[] http = new long[n];
        try (OpenAiServer server = builder(model).build().start()) {
            for (int i = 0; i < n + 200; i++) {
                long start = System.nanoTime();
                try (Socket s = open(server.port())) {
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    for (String line; (line = in.readLine()) != null; ) if (line.contains("\"content\":")) break;
                    if (i >= 200) http[i - 200] = System.nanoTime() - start;
                    drainQuietly(s.getInputStream());
                }
            }
        }
        Arrays.sort(direct);
        Arrays.sort(http);
        System.out.printf(
                "time to first token: direct p50 %.3f ms; over HTTP (new connection each) p50 %.3f ms, p99 %.3f ms%n",
                direct[n / 2] / 1e6, http[n / 2] / 1e6, http[n * 99 / 100] / 1e6);
    }

    private static void drainQuietly(InputStream in) throws Exception {
        byte[] buf = new byte[8192];
        while (in.read(buf) >= 0) {}
    }

    private static void disconnectLatency() throws Exception {
        List<Long> lat = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            ScriptedTextModel model = ScriptedTextModel.builder()
                    .tokens(Collections.nCopies(100_000, "x "))
                    .tokenDelay(Duration.ofMillis(1))
                    .build();
            try (OpenAiServer server =
                    builder(model).drain(Duration.ZERO).build().start()) {
                Socket s = open(server.port());
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                int seen = 0;
                for (String line; (line = in.readLine()) != null && seen < 5; )
                    if (line.contains("\"content\"")) seen++;
                long start = System.nanoTime();
                s.close();
                if (!model.awaitStreamsClosed(1, Duration.ofSeconds(10))) throw new IllegalStateException("not closed");
                lat.add(System.nanoTime() - start);
            }
        }
        Collections.sort(lat);
        System.out.printf(
                "disconnect -> model stream closed (1 ms/token model): p50 %.2f ms, max %.2f ms over %d runs%n",
                lat.get(lat.size() / 2) / 1e6, lat.get(lat.size() - 1) / 1e6, lat.size());
    }
}
