package ai.lthn.ml.cli;

import ai.lthn.ml.data.GoldenInflux;
import ai.lthn.ml.data.LemDb;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code ml metrics}: push golden-set statistics to InfluxDB (go-ml's; the database read-only). */
@Command(name = "metrics", mixinStandardHelpOptions = true, description = "Push golden-set statistics to InfluxDB.")
final class MetricsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db, --influx, --influx-db

    @Override
    public Integer call() {
        var path = DataSupport.requireDb(spec, main);
        var client = DataSupport.influx(spec, main);
        var out = spec.commandLine().getOut();
        try (LemDb db = LemDb.openReadOnly(path)) {
            GoldenInflux.pushMetrics(db, DataSupport.writer(client, path, out), out);
        }
        return 0;
    }
}
