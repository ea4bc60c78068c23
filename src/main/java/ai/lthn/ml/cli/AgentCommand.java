package ai.lthn.ml.cli;

import ai.lthn.ml.agent.AgentConfig;
import ai.lthn.ml.agent.AgentInflux;
import ai.lthn.ml.agent.AgentLoop;
import ai.lthn.ml.agent.CheckpointDiscovery;
import ai.lthn.ml.agent.CheckpointEvaluator;
import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.backend.OllamaClient;
import ai.lthn.ml.score.Judge;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.Outbox;
import ai.lthn.ml.transport.SshTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml agent}: discovers, evaluates and records fine-tuning checkpoints (go-ml's agent). */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = "Discover adapter checkpoints on the training host over SSH, evaluate the unscored ones, "
                + "write the results to InfluxDB (and DuckDB with --db).")
final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    SshOptions ssh; // --m3-host, --m3-user, --m3-port, --m3-ssh-key, --known-hosts, --accept-new-host-key

    @Option(
            names = "--m3-adapter-base",
            defaultValue = "${env:M3_ADAPTER_BASE}",
            description = "Directory holding adapters-* on the host (env M3_ADAPTER_BASE)")
    String adapterBase;

    @Option(names = "--base-model", defaultValue = "${env:BASE_MODEL}", description = "Base model (env BASE_MODEL)")
    String baseModel;

    @Option(names = "--poll", defaultValue = "${env:POLL_INTERVAL:-300}", description = "Poll interval, seconds")
    long poll;

    @Option(names = "--pause", defaultValue = "5", description = "Seconds between checkpoints (default 5)")
    long pause;

    @Option(names = "--work-dir", defaultValue = "${env:WORK_DIR}", description = "Local work directory (env WORK_DIR)")
    Path workDir;

    @Option(names = "--filter", defaultValue = "", description = "Only adapters-<filter>* directories")
    String filter;

    @Option(names = "--force", description = "Re-score already scored checkpoints")
    boolean force;

    @Option(names = "--one-shot", description = "One pass, then exit")
    boolean oneShot;

    @Option(names = "--dry-run", description = "Discover and list, evaluate nothing")
    boolean dryRun;

    @picocli.CommandLine.ParentCommand
    Main main; // --api-url, --judge-url, --judge-model, --model, --influx, --influx-db, --db

    @Option(names = "--influx-api", defaultValue = "v1", description = "v1 or v3 (default ${DEFAULT-VALUE})")
    String influxApi;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        AgentConfig config;
        try {
            config = AgentConfig.builder()
                    .m3Host(ssh.host)
                    .m3User(ssh.user)
                    .m3Port(ssh.port)
                    .m3SshKey(ssh.key)
                    .knownHosts(ssh.knownHosts)
                    .m3AdapterBase(adapterBase)
                    .baseModel(baseModel == null ? "" : baseModel)
                    .pollInterval(Duration.ofSeconds(poll))
                    .pause(Duration.ofSeconds(pause))
                    .workDir(workDir)
                    .filter(filter)
                    .force(force)
                    .oneShot(oneShot)
                    .dryRun(dryRun)
                    .apiUrl(uri(main.apiUrl, "--api-url"))
                    .judgeUrl(uri(main.judgeUrl(), "--judge-url"))
                    .judgeModel(main.judgeModel)
                    .model(main.modelOr(""))
                    .influxUrl(uri(main.influxUrl, "--influx"))
                    .influxDb(main.influxDb)
                    .influxApi(parseApi(influxApi))
                    .dbPath(main.db)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Files.createDirectories(config.workDir());
        InfluxClient.Builder ib = InfluxClient.builder(config.influxUrl().toString(), config.influxDb())
                .api(config.influxApi() == AgentConfig.InfluxApi.V3 ? InfluxClient.Api.V3 : InfluxClient.Api.V1);
        String token = InfluxConnection.token();
        if (!token.isEmpty()) ib.token(token);
        InfluxClient client = ib.build();
        if (config.influxApi() == AgentConfig.InfluxApi.V1) {
            try {
                client.createDatabase(); // InfluxDB 1.x refuses writes to a database it does not have
            } catch (RuntimeException e) {
                out.println("InfluxDB: cannot create database " + config.influxDb() + ": " + e.getMessage());
            }
        }
        AgentInflux influx = new AgentInflux(
                client,
                new BufferedInfluxWriter(client, Outbox.open(config.workDir().resolve("outbox"), 10)),
                out::println);
        SshTransport.Builder sb = SshTransport.builder(config.m3Host(), config.m3User())
                .port(config.m3Port())
                .knownHosts(config.knownHosts())
                .acceptNewHostKeys(ssh.acceptNew);
        if (config.m3SshKey() != null) sb.identity(config.m3SshKey());
        banner(out, config);
        try (SshTransport transport = sb.build()) {
            String judge = config.judgeUrl().toString();
            CheckpointEvaluator evaluator = CheckpointEvaluator.builder()
                    .config(config)
                    .transport(transport)
                    .influx(influx)
                    .ollama(OllamaClient.create(judge))
                    .ollamaModel(m -> HttpBackend.builder(judge, m).build())
                    .api(tag -> HttpBackend.builder(
                                    config.apiUrl().toString(), config.model().isEmpty() ? tag : config.model())
                            .build())
                    .judge(Judge.of(
                            HttpBackend.builder(judge, config.judgeModel()).build()))
                    .log(out::println)
                    .build();
            CheckpointDiscovery discovery = CheckpointDiscovery.of(transport, config, Duration.ofMinutes(2));
            AgentLoop loop = AgentLoop.builder()
                    .settings(config)
                    .replay(() -> influx.replay(config.workDir()))
                    .discovery(discovery::discover)
                    .scoredLabels(influx::scoredLabels)
                    .evaluator(evaluator)
                    .log(out::println)
                    .build();
            Thread hook = new Thread(loop::stop, "ml-agent-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            AgentLoop.Summary s;
            try {
                s = loop.run();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook already ran
                }
            }
            out.flush();
            return s.failed() > 0 || s.discoveryFailures() > 0 ? 1 : 0;
        }
    }

    private URI uri(String value, String option) {
        if (value == null || value.isBlank()) return null;
        try {
            return new URI(value.strip());
        } catch (java.net.URISyntaxException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " is not a URL: " + value);
        }
    }

    private AgentConfig.InfluxApi parseApi(String value) {
        return switch (value) {
            case "v1" -> AgentConfig.InfluxApi.V1;
            case "v3" -> AgentConfig.InfluxApi.V3;
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--influx-api must be v1 or v3, not " + value);
        };
    }

    private static void banner(PrintWriter out, AgentConfig c) {
        String line = "=".repeat(60);
        out.println(line);
        out.println("ROCm Scoring Agent — Java Edition");
        out.println("M3: " + c.m3User() + "@" + c.m3Host() + ":" + c.m3Port());
        out.println("Inference API: " + c.apiUrl());
        out.println("Judge API: " + c.judgeUrl() + " (" + c.judgeModel() + ")");
        out.println("InfluxDB: " + c.influxUrl() + "/" + c.influxDb() + " (" + c.influxApi() + ")");
        if (c.dbPath() != null) out.println("DuckDB: " + c.dbPath());
        out.println("Poll interval: " + c.pollInterval().toSeconds() + "s");
        out.println(line);
    }
}
