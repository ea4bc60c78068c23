package ai.lthn.ml.cli;

import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.score.Ledger;
import ai.lthn.ml.score.ProbeResult;
import ai.lthn.ml.score.ProbeRunner;
import ai.lthn.ml.score.ScorerOutput;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml probe}: go-ml's 23 capability probes against an OpenAI-compatible server. */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = "Run the 23 capability probes against an OpenAI-compatible API.")
final class ProbeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main; // --api-url (required), --model (default "default", go-ml's)

    @Option(names = "--output", description = "Write the ProbeResult JSON here (atomically)")
    Path output;

    @Option(
            names = "--resume",
            description = "Reuse the probe answers the ledger (the output's name + .ledger) recorded: after a crash,"
                    + " no probe is asked again")
    boolean resume;

    @Option(names = "--retry-failed", description = "With --resume: ask again the probes whose call failed")
    boolean retryFailed;

    @Override
    public Integer call() {
        String apiUrl = main.requireApiUrl();
        String model = main.modelOr("default");
        if (output != null) ScorerOutput.checkWritable(output); // before the probes, not after
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "Running %d capability probes against %s...%n",
                ai.lthn.ml.score.CapabilityProbes.all().size(), apiUrl);
        out.flush();
        HttpBackend backend = HttpBackend.builder(apiUrl, model).build();
        ProbeResult result;
        if (output == null) {
            result = ProbeRunner.run(backend);
        } else {
            try (Ledger ledger = Ledger.open(
                    output.resolveSibling(output.getFileName() + ".ledger"),
                    "probes model=" + model + " api_url=" + backend.baseUrl(),
                    resume,
                    retryFailed)) {
                result = ProbeRunner.run(ledger.wrap(backend));
                if (resume)
                    spec.commandLine()
                            .getErr()
                            .printf("ml: %d probe answers reused from the ledger%n", ledger.reused());
            }
        }
        // Go's %.1f and %.0f: half to even on the exact value (12.5 % of a category is "12", as go-ml prints it)
        out.printf(
                "%nResults: %s%% (%d/%d)%n",
                ai.lthn.ml.internal.GoFloats.fixed(result.accuracy(), 1), result.correct(), result.total());
        for (Map.Entry<String, ProbeResult.Category> e : inRunOrder(result).entrySet()) {
            ProbeResult.Category c = e.getValue();
            double pct = c.total() > 0 ? (double) c.correct() / c.total() * 100 : 0;
            out.printf(
                    "  %-20s %d/%d (%s%%)%n",
                    e.getKey(), c.correct(), c.total(), ai.lthn.ml.internal.GoFloats.fixed(pct, 0));
        }
        if (output != null) {
            result.write(output);
            out.printf("%nResults written to %s%n", output);
        }
        out.flush();
        return 0;
    }

    private static Map<String, ProbeResult.Category> inRunOrder(ProbeResult result) {
        Map<String, ProbeResult.Category> ordered = new LinkedHashMap<>();
        for (String c : ai.lthn.ml.score.CapabilityProbes.categories())
            if (result.byCategory().containsKey(c))
                ordered.put(c, result.byCategory().get(c));
        return ordered;
    }
}
