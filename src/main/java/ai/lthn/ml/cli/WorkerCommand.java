package ai.lthn.ml.cli;

import ai.lthn.ml.Backend;
import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.worker.LemWorker;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml worker}: go-ml's LEM worker, polling a coordinator for generation tasks. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = "Poll a LEM coordinator for generation tasks and run them on an OpenAI-compatible server.")
final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--api",
            defaultValue = "${env:LEM_API:-https://infer.lthn.ai}",
            description = "Coordinator (env LEM_API; default ${DEFAULT-VALUE})")
    String api;

    @Option(
            names = "--id",
            defaultValue = "${env:LEM_WORKER_ID}",
            description = "Worker id (env LEM_WORKER_ID; default the machine id)")
    String id;

    @Option(
            names = "--name",
            defaultValue = "${env:LEM_WORKER_NAME}",
            description = "Display name (env LEM_WORKER_NAME; default the host name)")
    String name;

    @Option(
            names = "--key",
            defaultValue = "${env:LEM_API_KEY}",
            description = "API key (env LEM_API_KEY, else ~/.config/lem/api_key); never printed")
    String key;

    @Option(names = "--gpu", defaultValue = "${env:LEM_GPU}", description = "GPU type (env LEM_GPU)")
    String gpu;

    @Option(
            names = "--vram",
            defaultValue = "${env:LEM_VRAM_GB:-0}",
            description = "GPU memory in GB (env LEM_VRAM_GB)")
    int vram;

    @Option(
            names = "--languages",
            defaultValue = "${env:LEM_LANGUAGES}",
            description = "Comma-separated languages (env LEM_LANGUAGES)")
    String languages;

    @Option(
            names = "--models",
            defaultValue = "${env:LEM_MODELS}",
            description = "Comma-separated models (env LEM_MODELS)")
    String models;

    @Option(
            names = "--infer",
            defaultValue = "${env:LEM_INFER_URL:-http://localhost:8090}",
            description = "OpenAI-compatible server (env LEM_INFER_URL; default ${DEFAULT-VALUE})")
    String infer;

    @Option(names = "--type", defaultValue = "", description = "Task type to ask for (default: any)")
    String type;

    @Option(names = "--batch", defaultValue = "5", description = "Tasks per poll (default ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--poll",
            defaultValue = "30",
            description = "Seconds between empty polls (default ${DEFAULT-VALUE})")
    int poll;

    @Option(names = "--one-shot", description = "One poll, then exit")
    boolean oneShot;

    @Option(names = "--dry-run", description = "List the tasks; claim and generate nothing")
    boolean dryRun;

    @Option(
            names = "--concurrency",
            defaultValue = "1",
            description = "Tasks generated at once (default ${DEFAULT-VALUE}, go-ml's)")
    int concurrency;

    @Option(
            names = "--state-dir",
            defaultValue = "${env:LEM_STATE_DIR}",
            description = "Keep undelivered results here across a crash, sent again on the next start (env"
                    + " LEM_STATE_DIR; default: memory only)")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LemWorker.Config config;
        try {
            config = new LemWorker.Config(
                    api,
                    blank(id) ? machineId() : id,
                    blank(name) ? InetAddress.getLocalHost().getHostName() : name,
                    blank(key) ? keyFile() : key,
                    gpu,
                    vram,
                    split(languages),
                    split(models),
                    type,
                    batch,
                    Duration.ofSeconds(poll),
                    oneShot,
                    dryRun,
                    concurrency);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Map<String, Backend> byModel = new ConcurrentHashMap<>();
        LemWorker worker = new LemWorker(
                config,
                model -> byModel.computeIfAbsent(
                        model,
                        m -> HttpBackend.builder(infer, m.isEmpty() ? "default" : m)
                                .timeout(Duration.ofMinutes(5)) // go-ml's inference timeout
                                .build()),
                line -> {
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                });
        if (stateDir != null) worker.keepResultsIn(stateDir);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    worker.stop(); // SIGTERM: generation interrupted, claims released
                    try {
                        done.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "ml-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            LemWorker.Summary s = worker.run();
            out.printf(
                    "worker stopped: %d polls, %d tasks completed, %d failed, %d claims released%n",
                    s.polls(), s.completed(), s.failed(), s.released());
            out.flush();
            return s.failed() > 0 ? 1 : 0;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for done
            }
        }
    }

    /** go-ml's MachineID: the trimmed /etc/machine-id, else the host name. */
    private static String machineId() throws IOException {
        Path f = Path.of("/etc/machine-id");
        if (Files.isReadable(f)) {
            String v = Files.readString(f).strip();
            if (!v.isEmpty()) return v;
        }
        return InetAddress.getLocalHost().getHostName();
    }

    /** go-ml's ReadKeyFile: the trimmed ~/.config/lem/api_key, or empty. */
    private static String keyFile() throws IOException {
        Path f = Path.of(System.getProperty("user.home"), ".config", "lem", "api_key");
        return Files.isReadable(f) ? Files.readString(f).strip() : "";
    }

    private static List<String> split(String csv) {
        if (csv == null) return List.of();
        return Arrays.stream(csv.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
