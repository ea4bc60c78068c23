package ai.lthn.ml.cli;

import ai.lthn.ml.data.InfluxStatus;
import ai.lthn.ml.store.ResultsDb;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml status}: training and generation progress from InfluxDB, and DuckDB's table counts with {@code --db}. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show training and generation progress from InfluxDB (and the DuckDB table counts with --db).")
final class StatusCommand implements Callable<Integer> {
    /** go-ml's table order for the counts. */
    static final List<String> TABLE_ORDER = List.of(
            "golden_set",
            "expansion_prompts",
            "seeds",
            "training_examples",
            "prompts",
            "gemini_responses",
            "benchmark_questions",
            "benchmark_results",
            "validations");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --influx, --influx-db, --db

    @Option(names = "--influx-api", defaultValue = "v1", description = "v1 or v3 (default ${DEFAULT-VALUE})")
    String influxApi;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        InfluxStatus.printStatus(InfluxConnection.client(spec.commandLine(), main, influxApi), out);
        if (main.db != null) {
            Map<String, Long> counts;
            try (ResultsDb db = ResultsDb.openReadOnly(main.db)) {
                counts = db.tableCounts();
            }
            out.println();
            out.println("DuckDB:");
            for (String table : TABLE_ORDER) {
                Long n = counts.get(table);
                if (n != null) out.printf("  %-22s %6d rows%n", table, n);
            }
        }
        out.flush();
        return 0;
    }
}
