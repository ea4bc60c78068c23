package ai.lthn.ml.cli;

import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.server.LoadingTextModel;
import ai.lthn.ml.server.OpenAiServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml serve}: an OpenAI-compatible server over a model, until interrupted. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve a model over the OpenAI API (chat, completions, models, a chat page at /).")
final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main; // --api-url, --model

    @Mixin
    ModelOptions source;

    @Option(
            names = "--load-timeout",
            defaultValue = "1800",
            description = "Seconds a --model-path model may take to load; the server answers 503 until then"
                    + " (default ${DEFAULT-VALUE})")
    long loadTimeout;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1:8090",
            description = "HOST:PORT to listen on; port 0 picks one (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(
            names = "--max-tokens",
            defaultValue = "4096",
            description = "Cap on max_tokens (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--timeout", defaultValue = "300", description = "Seconds per request (default: ${DEFAULT-VALUE})")
    int timeout;

    @Option(
            names = "--max-requests",
            defaultValue = "1",
            description = "Generations at once (default: ${DEFAULT-VALUE})")
    int maxRequests;

    @Option(
            names = "--queue",
            defaultValue = "16",
            description = "Requests that may wait for a slot before 429 (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(
            names = "--max-context",
            defaultValue = "4",
            description = "Messages kept after a system message; 0 = all (default: ${DEFAULT-VALUE})")
    int maxContext;

    @Option(names = "--api-key-env", description = "Require the bearer key held in this environment variable")
    String apiKeyEnv;

    @Option(
            names = "--allow-host",
            description = "Also accept this Host name (besides localhost and IP addresses; \"*\" for any); repeatable")
    java.util.List<String> allowHosts = new java.util.ArrayList<>();

    @Option(
            names = "--allow-origin",
            description = "Also accept browser requests from this origin, e.g. https://app.example (\"*\" for any);"
                    + " repeatable")
    java.util.List<String> allowOrigins = new java.util.ArrayList<>();

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "Accepted for go-ml's command lines (it set GOMAXPROCS); the JVM sizes its own pools")
    int threads;

    @Option(
            names = "--emulate-choices",
            description = "For an --api-url upstream that ignores n: ask it n times for one choice and join the"
                    + " answers (several choices in one request otherwise)")
    boolean emulateChoices;

    @Option(names = "--metrics", description = "Serve Prometheus metrics at /metrics")
    boolean metrics;

    @Option(names = "--reports", description = "Also serve the HTML reports (ml report) in this directory at /reports/")
    java.nio.file.Path reports;

    @Override
    public Integer call() throws InterruptedException {
        int colon = bind.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--bind must be HOST:PORT, got " + bind);
        String host = bind.substring(0, colon);
        int port = Integer.parseInt(bind.substring(colon + 1));
        // a local model loads while the server already answers (/healthz 503 "loading" until then)
        if (emulateChoices && source.local(main))
            throw new IllegalArgumentException("--emulate-choices is for an --api-url upstream, not --model-path");
        TextModel model = source.local(main)
                ? LoadingTextModel.start(
                        source.modelPath.toString(), () -> ai.lthn.ml.inference.Inference.loadModel(source.modelPath))
                : source.open(main, Duration.ofSeconds(timeout), emulateChoices);
        OpenAiServer.Builder b = OpenAiServer.builder(model)
                .modelId(source.id(main))
                .host(host.isEmpty() ? "127.0.0.1" : host)
                .port(port)
                .maxTokens(maxTokens)
                .maxContext(maxContext)
                .concurrency(maxRequests, queue, Duration.ofSeconds(timeout))
                .requestTimeout(Duration.ofSeconds(timeout));
        if (reports != null) b.reports(reports.toAbsolutePath().normalize());
        if (metrics)
            b.metrics(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
        // go-ml's /v1/ml routes over the served model, as the service's one (default) backend
        String id = source.id(main);
        b.mlService(
                ai.lthn.ml.Service.builder()
                        .backend(
                                id,
                                ai.lthn.ml.backend.InferenceAdapter.builder(model)
                                        .name(id)
                                        .build())
                        .defaultBackend(id)
                        .build(),
                main.judgeUrl() != null);
        allowHosts.forEach(b::allowHost);
        allowOrigins.forEach(b::allowOrigin);
        if (apiKeyEnv != null) {
            String key = System.getenv(apiKeyEnv);
            if (key == null || key.isEmpty())
                throw new IllegalArgumentException("environment variable " + apiKeyEnv + " is not set");
            b.apiKey(key);
        }
        OpenAiServer server = b.build().start();
        Thread hook = new Thread(
                () -> {
                    server.close();
                    model.close();
                },
                "ml-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving on " + server.url());
        out.flush();
        if (model instanceof LoadingTextModel loading) {
            try {
                loading.await(Duration.ofSeconds(loadTimeout)); // SIGTERM ends the process through the hook
                out.println("Model loaded: " + source.modelPath);
                out.flush();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                server.close();
                model.close(); // a load still running closes what it loads
                Throwable cause = e.getCause() == null ? e : e.getCause();
                spec.commandLine()
                        .getErr()
                        .println("ml serve: "
                                + (e instanceof java.util.concurrent.TimeoutException
                                        ? source.modelPath + " did not load within " + loadTimeout + " s"
                                        : cause.getMessage()));
                spec.commandLine().getErr().flush();
                Runtime.getRuntime().removeShutdownHook(hook);
                return 1;
            }
        }
        server.awaitClose();
        return 0;
    }
}
