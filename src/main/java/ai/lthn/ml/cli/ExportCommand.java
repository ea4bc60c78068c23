package ai.lthn.ml.cli;

import ai.lthn.ml.data.Export;
import ai.lthn.ml.store.ResultsDb;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ml export}: the golden set to train/valid/test JSONL (and Parquet), split exactly as
 * go-ml splits it for the same seed. Exit 0 on success, 1 on failure, 2 for a usage error or bad
 * percentages.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Export the golden set to training JSONL (train/valid/test) and optionally Parquet.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main; // --db

    @Option(names = "--output-dir", required = true, description = "Output directory for the training files")
    Path outputDir;

    @Option(
            names = "--min-chars",
            defaultValue = "50",
            description = "Minimum response length in characters (default ${DEFAULT-VALUE})")
    int minChars;

    @Option(
            names = "--train",
            defaultValue = "80",
            description = "Training split percentage (default ${DEFAULT-VALUE})")
    int train;

    @Option(
            names = "--valid",
            defaultValue = "10",
            description = "Validation split percentage (default ${DEFAULT-VALUE})")
    int valid;

    @Option(names = "--test", defaultValue = "10", description = "Test split percentage (default ${DEFAULT-VALUE})")
    int test;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed for the shuffle (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--parquet", description = "Also write <output-dir>/parquet/<split>.parquet (Snappy)")
    boolean parquet;

    @Override
    public Integer call() {
        try {
            Export.validatePercentages(train, valid, test);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (main.db == null) throw new CommandLine.ParameterException(spec.commandLine(), "--db or LEM_DB required");
        PrintWriter out = spec.commandLine().getOut();
        Export.Result result;
        try (ResultsDb db = ResultsDb.openReadOnly(main.db)) {
            db.exec("SET memory_limit = '1GB'"); // DuckDB's default is 80 % of the machine's memory
            result = Export.run(db, new Export.Options(outputDir, minChars, train, valid, test, seed, parquet), out);
        }
        if (result.parquet() != null && !result.parquet().skipped().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            for (String s : result.parquet().skipped()) err.println("ml: skipped unparsable line " + s);
            err.printf(
                    "ml: %d unparsable lines skipped%n",
                    result.parquet().skipped().size());
            err.flush();
        }
        return 0;
    }
}
