package ai.lthn.ml.worker;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.MlException;
import ai.lthn.ml.internal.HttpClients;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.internal.Threads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * go-ml's LEM worker ({@code RunWorkerLoop}): registers with a coordinator, polls it for
 * generation tasks, claims each, generates the response with a {@link Backend}, posts the result,
 * and sends a heartbeat between polls. Paths, bodies and headers are go-ml's.
 *
 * <p>Where go-ml lost work, this one does not: registration failing is retried with backoff
 * (go-ml exited the process); a task whose generation fails is marked abandoned and its claim
 * released; a result the coordinator cannot take now is kept and sent again before the next
 * poll (go-ml dropped it and released the claim, losing the generation); a dry run claims
 * nothing (go-ml left its tasks claimed and in progress); {@link #stop()} (the CLI's SIGTERM)
 * interrupts generation, releases every claim held, and returns. Up to {@link
 * Config#concurrency()} tasks are generated at once (go-ml: one).
 *
 * <p>Thread-safe: {@link #run()} on one thread, {@link #stop()} from any.
 */
public final class LemWorker {
    /** go-ml's worker version in the registration. */
    public static final String VERSION = "0.1.0";

    private final Config config;
    private final Function<String, Backend> backends;
    private final Coordinator api;
    private final Consumer<String> log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<PendingResult> pendingResults = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    /** The first wait after a failed registration (doubling to a minute); tests shorten it. */
    Duration registerBackoff = Duration.ofSeconds(1);

    private volatile ExecutorService pool;

    /** Where kept results survive a crash; null: memory only (go-ml's behaviour, minus its loss). */
    private volatile ResultJournal journal;

    /**
     * The worker's settings (go-ml's {@code WorkerConfig} and flags).
     *
     * @param apiBase the coordinator, e.g. {@code https://infer.lthn.ai}
     * @param workerId this worker's id (go-ml: the machine id)
     * @param name a display name (go-ml: the host name)
     * @param apiKey the coordinator's bearer key; empty for none (go-ml still sent the header)
     * @param gpuType the GPU, reported when not empty
     * @param vramGb the GPU memory, reported when positive
     * @param languages languages offered, reported when not empty
     * @param models models offered ({@code supported_models}), reported when not empty
     * @param taskType the task type asked for; empty for any
     * @param batchSize tasks asked for per poll
     * @param pollInterval the wait after a poll that found nothing
     * @param oneShot one poll, then return
     * @param dryRun list the tasks, claim and generate nothing
     * @param concurrency tasks generated at once, at least 1
     */
    public record Config(
            String apiBase,
            String workerId,
            String name,
            String apiKey,
            String gpuType,
            int vramGb,
            List<String> languages,
            List<String> models,
            String taskType,
            int batchSize,
            Duration pollInterval,
            boolean oneShot,
            boolean dryRun,
            int concurrency) {
        /**
         * Checks the settings.
         *
         * @param apiBase the coordinator, e.g. {@code https://infer.lthn.ai}
         * @param workerId this worker's id (go-ml: the machine id)
         * @param name a display name (go-ml: the host name)
         * @param apiKey the coordinator's bearer key; empty for none (go-ml still sent the header)
         * @param gpuType the GPU, reported when not empty
         * @param vramGb the GPU memory, reported when positive
         * @param languages languages offered, reported when not empty
         * @param models models offered ({@code supported_models}), reported when not empty
         * @param taskType the task type asked for; empty for any
         * @param batchSize tasks asked for per poll
         * @param pollInterval the wait after a poll that found nothing
         * @param oneShot one poll, then return
         * @param dryRun list the tasks, claim and generate nothing
         * @param concurrency tasks generated at once, at least 1
         */
        public Config {
            Objects.requireNonNull(apiBase, "apiBase");
            Objects.requireNonNull(workerId, "workerId");
            if (workerId.isBlank()) throw new IllegalArgumentException("--id is empty and no machine id was found");
            name = name == null ? "" : name;
            apiKey = apiKey == null ? "" : apiKey;
            gpuType = gpuType == null ? "" : gpuType;
            languages = List.copyOf(languages == null ? List.of() : languages);
            models = List.copyOf(models == null ? List.of() : models);
            taskType = taskType == null ? "" : taskType;
            if (batchSize < 1) throw new IllegalArgumentException("--batch must be at least 1");
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.isNegative()) throw new IllegalArgumentException("--poll must not be negative");
            if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be at least 1");
        }

        @Override
        public String toString() { // never the key
            return "Config[api=" + apiBase + ", id=" + workerId + ", name=" + name + ", key="
                    + (apiKey.isEmpty() ? "none" : "set") + ", gpu=" + gpuType + ", vram=" + vramGb + ", languages="
                    + languages + ", models=" + models + ", type=" + taskType + ", batch=" + batchSize + ", poll="
                    + pollInterval + ", oneShot=" + oneShot + ", dryRun=" + dryRun + ", concurrency=" + concurrency
                    + "]";
        }
    }

    /**
     * What a run did.
     *
     * @param polls polls made
     * @param completed tasks whose result the coordinator took
     * @param failed tasks released after a failure
     * @param released claims given back (failures and a stop)
     */
    public record Summary(int polls, int completed, int failed, int released) {}

    /** A task from {@code /api/lem/tasks/next}. */
    record Task(int id, String modelName, String promptText, double temperature, int maxTokens) {
        static Task of(JsonNode t) {
            JsonNode cfg = t.path("config");
            return new Task(
                    t.path("id").asInt(),
                    t.path("model_name").asText(""),
                    t.path("prompt_text").asText(""),
                    cfg.path("temperature").asDouble(0),
                    cfg.path("max_tokens").asInt(0));
        }
    }

    /** A result generated but not yet delivered. */
    record PendingResult(Task task, ObjectNode body) {}

    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();

    /**
     * A worker.
     *
     * @param config the settings
     * @param backends the backend for a task's model name (go-ml: an OpenAI-compatible server)
     * @param log progress lines
     */
    public LemWorker(Config config, Function<String, Backend> backends, Consumer<String> log) {
        this(config, backends, log, HttpClients.shared());
    }

    LemWorker(Config config, Function<String, Backend> backends, Consumer<String> log, OkHttpClient client) {
        this.config = Objects.requireNonNull(config, "config");
        this.backends = Objects.requireNonNull(backends, "backends");
        this.log = Objects.requireNonNull(log, "log");
        this.api = new Coordinator(config.apiBase(), config.apiKey(), client);
    }

    /**
     * Keeps undelivered results in {@code stateDir/pending-results.jsonl} (synced before the worker
     * goes on), so a crash loses none: the next worker started on the same directory sends them
     * before its first poll. Call before {@link #run()}; one worker per directory.
     *
     * @param stateDir the worker's state directory (created if missing)
     * @return this worker
     * @throws ai.lthn.ml.MlIOException if the directory or its journal cannot be used
     */
    public LemWorker keepResultsIn(java.nio.file.Path stateDir) {
        ResultJournal j = ResultJournal.open(stateDir);
        pendingResults.addAll(j.pending());
        if (!j.pending().isEmpty())
            log.accept(j.pending().size() + " undelivered results from the last run: sent before the first poll");
        ResultJournal old = journal;
        journal = j;
        if (old != null) old.close();
        return this;
    }

    /** Asks {@link #run()} to return: generation is interrupted and every claim held released. */
    public void stop() {
        stopping = true;
        stopped.countDown();
        ExecutorService p = pool;
        if (p != null) p.shutdownNow();
    }

    /**
     * Registers, then polls until {@link #stop()} (or once, in one-shot mode).
     *
     * @return what was done
     */
    public Summary run() {
        log.accept("LEM worker " + config);
        if (!register()) return summary(0);
        int polls = 0;
        pool = Executors.newFixedThreadPool(config.concurrency(), Threads.daemonFactory("lthn-ml-worker-"));
        try {
            while (!stopping) {
                flushResults();
                int processed = poll();
                polls++;
                if (config.oneShot()) {
                    log.accept("One-shot mode: processed " + processed + " tasks, exiting");
                    break;
                }
                if (processed == 0 && pause(config.pollInterval())) break;
                try {
                    api.send(
                            "POST",
                            api.url("api/lem/workers/heartbeat"),
                            Json.object().put("worker_id", config.workerId()));
                } catch (MlException ignored) {
                    // go-ml ignores heartbeat errors
                }
            }
        } finally {
            pool.shutdownNow();
            flushResults();
            for (PendingResult p; (p = pendingResults.poll()) != null; ) {
                release(p.task(), "the result could not be delivered");
                settled(p);
            }
            ResultJournal j = journal;
            if (j != null) j.close();
        }
        return summary(polls);
    }

    private Summary summary(int polls) {
        return new Summary(polls, completed.get(), failed.get(), released.get());
    }

    /** go-ml's registration, retried (1 s doubling to 60 s) until it succeeds or the worker stops. */
    private boolean register() {
        ObjectNode body = Json.object()
                .put("worker_id", config.workerId())
                .put("name", config.name())
                .put("version", VERSION)
                .put("os", goOs())
                .put("arch", goArch());
        if (!config.gpuType().isEmpty()) body.put("gpu_type", config.gpuType());
        if (config.vramGb() > 0) body.put("vram_gb", config.vramGb());
        if (!config.languages().isEmpty()) array(body.putArray("languages"), config.languages());
        if (!config.models().isEmpty()) array(body.putArray("supported_models"), config.models());
        Duration wait = registerBackoff;
        while (!stopping) {
            try {
                api.send("POST", api.url("api/lem/workers/register"), body);
                log.accept("Registered as " + config.workerId());
                return true;
            } catch (MlException e) {
                log.accept("register failed (" + e.getMessage() + "); retrying in " + wait.toSeconds() + " s");
                if (pause(wait)) return false;
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(60)) > 0
                        ? Duration.ofSeconds(60)
                        : wait.multipliedBy(2);
            }
        }
        return false;
    }

    /** One poll: fetch, then claim and generate each task; the number of tasks processed. */
    private int poll() {
        okhttp3.HttpUrl.Builder url = api.urlBuilder("api/lem/tasks/next")
                .addQueryParameter("worker_id", config.workerId())
                .addQueryParameter("limit", Integer.toString(config.batchSize()));
        if (!config.taskType().isEmpty()) url.addQueryParameter("type", config.taskType());
        JsonNode reply;
        try {
            reply = api.send("GET", url.build(), null);
        } catch (MlException e) {
            log.accept("poll failed: " + e.getMessage());
            return 0;
        }
        if (reply.path("count").asInt(0) == 0) return 0; // go-ml trusts count
        List<Task> tasks = new ArrayList<>();
        for (JsonNode t : reply.path("tasks")) tasks.add(Task.of(t));
        if (config.dryRun()) {
            for (Task t : tasks) log.accept("[DRY-RUN] Would generate response for: " + truncate(t.promptText(), 80));
            return tasks.size(); // nothing claimed: nothing to give back
        }
        List<Future<?>> running = new ArrayList<>();
        for (Task t : tasks) {
            try {
                running.add(pool.submit(() -> process(t)));
            } catch (java.util.concurrent.RejectedExecutionException stoppedMeanwhile) {
                break;
            }
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
            } catch (java.util.concurrent.ExecutionException e) {
                log.accept("task error: " + e.getCause());
            } catch (java.util.concurrent.CancellationException e) {
                // stopped before it started: it was never claimed
            }
        }
        return tasks.size();
    }

    private void process(Task t) {
        String tag = "task " + t.id();
        ObjectNode who = Json.object().put("worker_id", config.workerId());
        try {
            api.send("POST", api.url("api/lem/tasks/" + t.id() + "/claim"), who);
        } catch (MlException e) {
            failed.incrementAndGet();
            log.accept(tag + ": claim: " + e.getMessage());
            release(t, "claim failed"); // go-ml sends this too
            return;
        }
        status(t, "in_progress");
        long start = System.nanoTime();
        String text;
        try {
            if (stopping || Thread.currentThread().isInterrupted())
                throw new ai.lthn.ml.GenerationCancelledException("stopping", "", null);
            GenOpts opts = GenOpts.builder()
                    .temperature(t.temperature() > 0 ? t.temperature() : 0.7)
                    .maxTokens(t.maxTokens() > 0 ? t.maxTokens() : 2048)
                    .build();
            text = backends.apply(t.modelName()).generate(t.promptText(), opts);
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < 10) throw new MlException("response too short: " + bytes + " chars");
        } catch (MlException | IllegalArgumentException e) {
            // a stop interrupts this thread: clear the flag so the claim can still be given back
            boolean interrupted = Thread.interrupted();
            failed.incrementAndGet();
            log.accept(tag + ": inference: " + e.getMessage());
            status(t, "abandoned");
            release(t, stopping ? "the worker is stopping" : "inference failed");
            if (interrupted) Thread.currentThread().interrupt();
            return;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        ObjectNode result = Json.object()
                .put("gen_time_ms", ms)
                .put("model_used", t.modelName().isEmpty() ? "default" : t.modelName())
                .put("response_text", text)
                .put("worker_id", config.workerId());
        if (sendResult(t, result)) {
            completed.incrementAndGet();
            log.accept(String.format(Locale.ROOT, "%s: done (%d ms, %d bytes)", tag, ms, text.length()));
        } else {
            PendingResult kept = new PendingResult(t, result);
            ResultJournal j = journal;
            if (j != null) j.kept(kept); // on disk before it is only in memory
            pendingResults.add(kept);
            log.accept(tag + ": result kept; it is sent again before the next poll");
        }
    }

    private boolean sendResult(Task t, ObjectNode result) {
        try {
            api.send("POST", api.url("api/lem/tasks/" + t.id() + "/result"), result);
            return true;
        } catch (ai.lthn.ml.HttpStatusException e) {
            if (!e.isRetryable()) { // the coordinator refuses it: give the task back
                failed.incrementAndGet();
                log.accept("task " + t.id() + ": result refused: " + e.getMessage());
                release(t, "result refused");
                return true; // settled: do not keep it
            }
            return false;
        } catch (MlException e) {
            return false;
        }
    }

    private void flushResults() {
        int n = pendingResults.size();
        for (int i = 0; i < n; i++) {
            PendingResult p = pendingResults.poll();
            if (p == null) return;
            if (sendResult(p.task(), p.body())) {
                completed.incrementAndGet();
                settled(p);
                log.accept("task " + p.task().id() + ": kept result delivered");
            } else {
                pendingResults.add(p);
            }
        }
    }

    private void settled(PendingResult p) {
        ResultJournal j = journal;
        if (j != null) j.settled(p.task().id());
    }

    private void status(Task t, String status) {
        try {
            api.send(
                    "PATCH",
                    api.url("api/lem/tasks/" + t.id() + "/status"),
                    Json.object().put("worker_id", config.workerId()).put("status", status));
        } catch (MlException ignored) {
            // go-ml ignores status errors
        }
    }

    private void release(Task t, String why) {
        try {
            api.send(
                    "DELETE",
                    api.url("api/lem/tasks/" + t.id() + "/claim"),
                    Json.object().put("worker_id", config.workerId()));
            released.incrementAndGet();
            log.accept("task " + t.id() + ": claim released (" + why + ")");
        } catch (MlException e) {
            log.accept("task " + t.id() + ": could not release the claim (" + why + "): " + e.getMessage());
        }
    }

    /** Waits, or returns true at once when the worker is stopping. */
    private boolean pause(Duration d) {
        try {
            return stopped.await(d.toNanos(), TimeUnit.NANOSECONDS) || stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return true;
        }
    }

    private static void array(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    static String truncate(String s, int n) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= n) return s;
        int cut = n;
        while (cut > 0 && (b[cut] & 0xC0) == 0x80) cut--; // not inside a character
        return new String(b, 0, cut, StandardCharsets.UTF_8) + "...";
    }

    /** Go's GOOS for this JVM. */
    static String goOs() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) return "darwin";
        if (os.contains("win")) return "windows";
        return os.contains("linux") ? "linux" : os;
    }

    /** Go's GOARCH for this JVM. */
    static String goArch() {
        String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> a;
        };
    }
}
