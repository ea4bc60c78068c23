package ai.lthn.ml.cli;

import ai.lthn.ml.data.InfluxStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml live}: golden-set generation progress from InfluxDB's {@code gold_gen}. */
@Command(
        name = "live",
        mixinStandardHelpOptions = true,
        description = "Show live golden-set generation progress from InfluxDB: totals, domains, voices, workers.")
final class LiveCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --influx, --influx-db

    @Option(names = "--influx-api", defaultValue = "v1", description = "v1 or v3 (default ${DEFAULT-VALUE})")
    String influxApi;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        InfluxStatus.printLive(InfluxConnection.client(spec.commandLine(), main, influxApi), out);
        out.flush();
        return 0;
    }
}
