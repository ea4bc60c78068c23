package ai.lthn.ml.cli;

import ai.lthn.ml.data.GoldenInflux;
import ai.lthn.ml.data.LemDb;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml seed-influx}: copy the golden set into InfluxDB's gold_gen (go-ml's; the database read-only). */
@Command(
        name = "seed-influx",
        mixinStandardHelpOptions = true,
        description = "Write every golden_set row to InfluxDB as a gold_gen point (w=migration).")
final class SeedInfluxCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db, --influx, --influx-db

    @Option(names = "--force", description = "Seed even when InfluxDB already has every record")
    boolean force;

    @Option(names = "--batch-size", defaultValue = "500", description = "Points per write (default ${DEFAULT-VALUE})")
    int batchSize;

    @Override
    public Integer call() {
        var path = DataSupport.requireDb(spec, main);
        var client = DataSupport.influx(spec, main);
        var out = spec.commandLine().getOut();
        try (LemDb db = LemDb.openReadOnly(path)) {
            long existing = GoldenInflux.existingGoldGen(client);
            GoldenInflux.seed(db, existing, DataSupport.writer(client, path, out), force, batchSize, out);
        }
        return 0;
    }
}
