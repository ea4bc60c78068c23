package ai.lthn.ml.cli;

import ai.lthn.ml.data.Ingest;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.Outbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ml ingest}: content scores, capability scores and training logs into InfluxDB (go-ml's
 * ingest), every point through the durable outbox in {@code --work-dir}: points InfluxDB cannot
 * take now are kept there and delivered first by the next run.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Ingest benchmark scores and training logs into InfluxDB (needs --model and one of --content,"
                + " --capability, --training-log).")
final class IngestCommand implements Callable<Integer> {
    /** Delivery attempts for the outbox before giving up (1 s, then 2 s apart). */
    static final int FLUSH_ATTEMPTS = 3;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --influx, --influx-db, --model

    @Option(names = "--content", description = "Content scores JSONL file")
    Path content;

    @Option(names = "--capability", description = "Capability scores JSONL file")
    Path capability;

    @Option(names = "--training-log", description = "MLX LoRA training log file")
    Path trainingLog;

    @Option(names = "--run-id", defaultValue = "", description = "Run ID tag (defaults to the model name)")
    String runId;

    @Option(
            names = "--batch-size",
            defaultValue = "100",
            description = "Points per InfluxDB write (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--influx-api", defaultValue = "v1", description = "v1 or v3 (default ${DEFAULT-VALUE})")
    String influxApi;

    @Option(
            names = "--work-dir",
            description = "Directory of the outbox that keeps points InfluxDB could not take"
                    + " (default <tmp>/ml-ingest-<influx-db>)")
    Path workDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine cli = spec.commandLine();
        PrintWriter out = cli.getOut();
        PrintWriter err = cli.getErr();
        String model = main.modelOr("");
        if (model.isEmpty()) throw new CommandLine.ParameterException(cli, "--model is required");
        Ingest.Config config;
        try {
            config = new Ingest.Config(content, capability, trainingLog, model, runId, batchSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage(), e);
        }
        InfluxClient client = InfluxConnection.client(cli, main, influxApi);
        Path dir = workDir != null ? workDir : defaultWorkDir(main.influxDb);
        Files.createDirectories(dir);
        Outbox outbox = Outbox.open(dir.resolve("outbox"));
        if (client.api() == InfluxClient.Api.V1) {
            try {
                client.createDatabase(); // InfluxDB 1.x refuses writes to a database it does not have
            } catch (RuntimeException unavailable) {
                // the writes below find out and buffer
            }
        }
        BufferedInfluxWriter writer = new BufferedInfluxWriter(client, outbox);
        Outbox.DrainResult earlier = writer.replay(); // an earlier run's points first, in order
        if (earlier.delivered() > 0)
            out.printf("Delivered %d batches buffered by an earlier run%n", earlier.delivered());
        Ingest.run(config, writer::write, out);
        long remaining = flush(client, outbox);
        out.flush();
        if (remaining > 0) {
            err.printf(
                    "ml: %d points remain buffered in %s (InfluxDB unavailable); the next ml ingest with"
                            + " --work-dir %s delivers them first%n",
                    remaining, outbox.pendingDirectory(), dir);
            return 1;
        }
        return 0;
    }

    /** Delivers what waits in the outbox, a few times apart; returns the points still waiting. */
    private static long flush(InfluxClient client, Outbox outbox) throws InterruptedException {
        for (int attempt = 0; attempt < FLUSH_ATTEMPTS; attempt++) {
            if (outbox.size() == 0) return 0;
            if (attempt > 0) Thread.sleep(1000L << (attempt - 1));
            // a fresh writer: no backoff left over from the writes, which may have grown to minutes
            Outbox.DrainResult r = new BufferedInfluxWriter(client, outbox).replay();
            if (r.remaining() == 0) return 0;
        }
        return new BufferedInfluxWriter(client, outbox).pendingPoints();
    }

    static Path defaultWorkDir(String database) {
        return Path.of(
                System.getProperty("java.io.tmpdir"), "ml-ingest-" + database.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
