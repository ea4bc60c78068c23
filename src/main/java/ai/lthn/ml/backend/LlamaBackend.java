package ai.lthn.ml.backend;

import ai.lthn.ml.Backend;
import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.Message;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.internal.Checks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code llama-server} process managed by this backend: go-ml's command line
 * ({@code <llama-server> -m MODEL --port P --host 127.0.0.1 [--lora PATH]}), {@code /health}
 * polled every 500 ms until healthy (30 s by default), then every call goes to its
 * OpenAI-compatible endpoint through an {@link HttpBackend}.
 *
 * <p>Beyond go-ml: port 0 (the default) picks a free loopback port; the process's output goes to
 * the log at debug level, and its last lines are kept for error messages; a missing binary, an
 * early exit or a start that never gets healthy throws with those lines, and the process is
 * killed (go-ml leaves it running); the process is destroyed on {@link #close()} and on JVM
 * shutdown; {@link #isAvailable()} checks that the process is alive without an HTTP round trip
 * per generation.
 *
 * <pre>{@code
 * try (LlamaBackend llama = LlamaBackend.builder(Path.of("models/gemma-3-1b.gguf")).build()) {
 *     llama.start();
 *     String reply = llama.generate("Hello", GenOpts.defaults());
 * }
 * }</pre>
 */
public final class LlamaBackend implements Backend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LlamaBackend.class);
    private static final int KEEP_LINES = 20;

    private final List<String> executable;
    private final Path modelPath;
    private final Path loraPath;
    private final int requestedPort;
    private final Duration startTimeout;
    private final Duration healthInterval;
    private final HttpSettings httpTemplate;
    private final OkHttpClient healthClient;

    private Process process;
    private ProcessOutput output;
    private Thread shutdownHook;
    private volatile HttpBackend http;
    private volatile int port;

    private LlamaBackend(Builder b) {
        this.executable = List.copyOf(b.executable);
        this.modelPath = b.modelPath;
        this.loraPath = b.loraPath;
        this.requestedPort = b.port;
        this.startTimeout = b.startTimeout;
        this.healthInterval = b.healthInterval;
        this.httpTemplate = b.http;
        this.healthClient = ai.lthn.ml.internal.HttpClients.shared()
                .newBuilder()
                .callTimeout(Duration.ofSeconds(2))
                .retryOnConnectionFailure(false)
                .build();
    }

    /**
     * A builder for a server of the model at {@code modelPath}.
     *
     * @param modelPath the model path
     * @return a new builder
     */
    public static Builder builder(Path modelPath) {
        return new Builder(modelPath);
    }

    /**
     * Starts the process and waits until {@code /health} answers 200.
     *
     * @throws BackendUnavailableException if the binary cannot be started, exits early or never
     *     gets healthy (the message ends with its last output lines; the process is killed)
     * @throws GenerationCancelledException if interrupted while waiting (the process is killed)
     * @throws IllegalStateException if already started
     */
    public synchronized void start() {
        if (process != null && process.isAlive()) throw new IllegalStateException("llama-server already started");
        int p = requestedPort != 0 ? requestedPort : freePort();
        List<String> command = command(p);
        LOG.info("starting {} on 127.0.0.1:{}", executable.get(executable.size() - 1), p);
        Process proc;
        try {
            proc = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BackendUnavailableException(
                    "cannot start llama-server (" + executable.get(0) + "): " + e.getMessage(), e);
        }
        process = proc;
        port = p;
        output = new ProcessOutput(proc.getInputStream(), KEEP_LINES, LOG, "llama-server-" + p);
        shutdownHook = new Thread(() -> destroy(proc), "llama-server-" + p + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            awaitHealthy(proc, p);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        http = httpTemplate.build(baseUrlFor(p));
        LOG.info("llama-server healthy on 127.0.0.1:{} (pid {})", p, proc.pid());
    }

    /** The command line for {@code port}: go-ml's arguments after the executable. */
    List<String> command(int port) {
        List<String> command = new ArrayList<>(executable);
        command.addAll(List.of("-m", modelPath.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1"));
        if (loraPath != null) command.addAll(List.of("--lora", loraPath.toString()));
        return command;
    }

    private void awaitHealthy(Process proc, int p) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            if (!proc.isAlive()) {
                output.awaitEnd(1000);
                throw new BackendUnavailableException("llama-server exited with code " + proc.exitValue()
                        + " before becoming healthy"
                        + output.describe());
            }
            if (healthy(p)) return;
            if (System.nanoTime() >= deadline)
                throw new BackendUnavailableException("llama-server did not become healthy within "
                        + OpenAiTransport.millis(startTimeout) + output.describe());
            try {
                proc.waitFor(healthInterval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenerationCancelledException("interrupted while waiting for llama-server to start", "", e);
            }
        }
    }

    private boolean healthy(int p) {
        Request req = new Request.Builder().url(baseUrlFor(p) + "/health").get().build();
        try (Response r = healthClient.newCall(req).execute()) {
            return r.code() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether the server was started, became healthy and its process is still alive. No HTTP
     * call: a server that died is noticed here; one that hangs is caught by the call timeouts.
     */
    @Override
    public boolean isAvailable() {
        Process proc;
        synchronized (this) {
            proc = process;
        }
        return http != null && proc != null && proc.isAlive();
    }

    /**
     * One health check over HTTP (go-ml's {@code Available()}), 2 s at most.
     *
     * @return whether the server answered {@code /health} with 200
     */
    public boolean checkHealth() {
        return isAvailable() && healthy(port);
    }

    @Override
    public String generate(String prompt, GenOpts opts) {
        return server().generate(prompt, opts);
    }

    @Override
    public String chat(List<Message> messages, GenOpts opts) {
        return server().chat(messages, opts);
    }

    /**
     * Streams the next assistant turn from the server; see {@link HttpBackend#streamChat}.
     *
     * @param messages the conversation so far, oldest first
     * @param opts the generation options
     * @return the stream, to be closed by the caller; nothing is sent before its first read
     */
    public TokenStream streamChat(List<Message> messages, GenOpts opts) {
        return server().streamChat(messages, opts);
    }

    /** The running server's client; refused while it is not running ({@link LlamaTextModel#backend()} too). */
    HttpBackend server() {
        if (!isAvailable()) throw new BackendUnavailableException("llama-server not available");
        return http;
    }

    /** The metrics of the last stream from the server that ended normally. */
    GenerateMetrics lastMetrics() {
        HttpBackend h = http;
        return h == null ? GenerateMetrics.ZERO : h.lastMetrics();
    }

    /**
     * This backend as a streaming TextModel whose {@code close()} stops the server.
     *
     * @return this backend as a streaming TextModel whose {@code close()} stops the server
     */
    public LlamaTextModel textModel() {
        return new LlamaTextModel(this);
    }

    /** "llama", as go-ml. */
    @Override
    public String name() {
        return "llama";
    }

    /**
     * The port the server listens on (0 before {@link #start()} when it picks a free one).
     *
     * @return the port the server listens on (0 before {@link #start()} when it picks a free one)
     */
    public int port() {
        return port != 0 ? port : requestedPort;
    }

    /**
     * The process id, while running.
     *
     * @return the process id, while running
     */
    public synchronized long pid() {
        if (process == null) throw new IllegalStateException("llama-server not started");
        return process.pid();
    }

    /**
     * The last lines the process wrote (at most 20).
     *
     * @return the last lines the process wrote (at most 20)
     */
    public synchronized List<String> lastOutput() {
        return output == null ? List.of() : output.lastLines();
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s). A no-op when not running. */
    public synchronized void stop() {
        Process proc = process;
        if (proc == null) return;
        process = null;
        http = null;
        destroy(proc);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
            shutdownHook = null;
        }
        LOG.info("llama-server on port {} stopped", port);
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private static void destroy(Process proc) {
        proc.descendants().forEach(ProcessHandle::destroy);
        proc.destroy();
        try {
            if (!proc.waitFor(5, TimeUnit.SECONDS)) {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String baseUrlFor(int p) {
        return "http://127.0.0.1:" + p;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new BackendUnavailableException("cannot find a free port: " + e.getMessage(), e);
        }
    }

    /** Builds a {@link LlamaBackend}. */
    public static final class Builder {
        private final Path modelPath;
        private List<String> executable = List.of("llama-server");
        private Path loraPath;
        private int port;
        private Duration startTimeout = Duration.ofSeconds(30);
        private Duration healthInterval = Duration.ofMillis(500);
        private final HttpSettings http = new HttpSettings();

        private Builder(Path modelPath) {
            this.modelPath = Objects.requireNonNull(modelPath, "modelPath");
        }

        /**
         * The command that starts the server, before go-ml's arguments: the binary (go-ml's
         * {@code LlamaPath}), or a wrapper such as {@code taskset} with its arguments; default
         * {@code [llama-server]}, found on the PATH.
         *
         * @param value the program and any arguments before {@code -m MODEL ...}
         * @return this builder
         * @throws IllegalArgumentException if empty
         */
        public Builder command(List<String> value) {
            if (value.isEmpty()) throw new IllegalArgumentException("command is empty");
            this.executable = List.copyOf(value);
            return this;
        }

        /**
         * A LoRA adapter passed as {@code --lora}.
         *
         * @param value a LoRA adapter passed as {@code --lora}
         * @return this builder
         */
        public Builder loraPath(Path value) {
            this.loraPath = Objects.requireNonNull(value, "loraPath");
            return this;
        }

        /**
         * The port; 0 (the default) picks a free one. go-ml's default was 18090.
         *
         * @param value the port; 0 (the default) picks a free one
         * @return this builder
         */
        public Builder port(int value) {
            if (value < 0 || value > 65535) throw new IllegalArgumentException("port outside 0..65535: " + value);
            this.port = value;
            return this;
        }

        /**
         * How long the server may take to become healthy; default 30 s.
         *
         * @param value how long the server may take to become healthy; default 30 s
         * @return this builder
         */
        public Builder startTimeout(Duration value) {
            this.startTimeout = Checks.positive(value, "startTimeout");
            return this;
        }

        /**
         * How often {@code /health} is polled while starting; default 500 ms.
         *
         * @param value how often {@code /health} is polled while starting; default 500 ms
         * @return this builder
         */
        public Builder healthInterval(Duration value) {
            this.healthInterval = Checks.positive(value, "healthInterval");
            return this;
        }

        /**
         * Settings for the HTTP calls to the server (timeouts, retries, max tokens).
         *
         * @param settings applied to the server's HttpBackend builder once the port is known
         * @return this builder
         */
        public Builder http(java.util.function.Consumer<HttpBackend.Builder> settings) {
            http.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The backend (not started).
         *
         * @return the backend (not started)
         */
        public LlamaBackend build() {
            return new LlamaBackend(this);
        }
    }

    /** Deferred HTTP settings: the URL is known only once the port is. */
    private static final class HttpSettings {
        java.util.function.Consumer<HttpBackend.Builder> settings = b -> {};

        HttpBackend build(String baseUrl) {
            HttpBackend.Builder b = HttpBackend.builder(baseUrl, "");
            settings.accept(b);
            return b.build();
        }
    }
}
