package ai.lthn.ml.cli;

import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.data.Expand;
import ai.lthn.ml.data.LemDb;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.Outbox;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml expand}: generate responses for the pending expansion prompts (go-ml's), resumably. */
@Command(
        name = "expand",
        mixinStandardHelpOptions = true,
        description = "Generate responses for pending expansion prompts (DuckDB) through an OpenAI-compatible API;"
                + " a re-run continues where the last one stopped.")
final class ExpandCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main; // --api-url, --model, --db, --influx, --influx-db

    @Option(names = "--worker", description = "Worker name (default: this host's name)")
    String worker;

    @Option(
            names = "--output",
            defaultValue = ".",
            description = "Directory for expand-<worker>.jsonl (default ${DEFAULT-VALUE})")
    Path output;

    @Option(
            names = "--limit",
            defaultValue = "0",
            description = "At most this many prompts, after skipping done ones (0 = all)")
    int limit;

    @Option(names = "--dry-run", description = "List what would be generated, generate nothing")
    boolean dryRun;

    @Option(
            names = "--concurrency",
            defaultValue = "1",
            description = "Prompts generated at once (default ${DEFAULT-VALUE}, go-ml's)")
    int concurrency;

    @Override
    public Integer call() throws Exception {
        if (main.modelOr("").isEmpty()) throw usage("--model is required");
        if (main.db == null) throw usage("--db or LEM_DB env is required");
        String apiUrl = main.requireApiUrl();
        String name = worker != null ? worker : InetAddress.getLocalHost().getHostName();
        Expand.Config config;
        try {
            config = new Expand.Config(main.model, name, output, dryRun, limit, concurrency);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Expand.Prompt> prompts = new ArrayList<>();
        try (LemDb db = LemDb.openReadOnly(main.db)) { // go-ml opened it read-write and wrote nothing
            List<Map<String, Object>> rows;
            try {
                rows = db.queryRows("SELECT seed_id, domain, prompt, prompt_en FROM expansion_prompts"
                        + " WHERE status = 'pending' ORDER BY priority, idx");
            } catch (RuntimeException e) {
                throw new ai.lthn.ml.MlException(
                        "query expansion_prompts: " + e.getMessage() + " (run normalize first)", e);
            }
            for (Map<String, Object> r : rows) {
                String prompt = text(r.get("prompt"));
                if (prompt.isEmpty()) prompt = text(r.get("prompt_en"));
                prompts.add(new Expand.Prompt(text(r.get("seed_id")), text(r.get("domain")), prompt));
            }
        }
        out.printf("Loaded %d pending prompts from %s%n", prompts.size(), main.db);
        InfluxClient influx = null;
        BufferedInfluxWriter writer = null;
        if (main.influxUrl != null && !main.influxUrl.isBlank()) {
            influx = InfluxConnection.client(spec.commandLine(), main, "v1");
            try {
                influx.createDatabase(); // InfluxDB 1.x refuses points for a database it does not have
            } catch (RuntimeException e) {
                out.println("warning: InfluxDB: cannot create database " + main.influxDb + ": " + e.getMessage());
            }
            writer = new BufferedInfluxWriter(influx, Outbox.open(output.resolve(".expand-outbox-" + name)));
            writer.replay();
        }
        InfluxClient q = influx;
        Expand.Result r = Expand.run(
                HttpBackend.builder(apiUrl, main.model).build(),
                prompts,
                config,
                q == null ? null : () -> completedIds(q),
                writer,
                out);
        if (writer != null && writer.pending() > 0)
            out.printf(
                    "%d InfluxDB writes are buffered in %s; the next run sends them%n",
                    writer.pending(), output.resolve(".expand-outbox-" + name));
        return r.failed() > 0 ? 1 : 0;
    }

    private static Set<String> completedIds(InfluxClient influx) {
        Set<String> ids = new HashSet<>();
        List<Map<String, Object>> rows = influx.api() == InfluxClient.Api.V3
                ? influx.querySql("SELECT DISTINCT seed_id FROM expansion_gen")
                : influx.query("SELECT DISTINCT(\"seed_id\") AS seed_id FROM \"expansion_gen\"");
        for (Map<String, Object> row : rows) if (row.get("seed_id") instanceof String s && !s.isEmpty()) ids.add(s);
        return ids;
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
