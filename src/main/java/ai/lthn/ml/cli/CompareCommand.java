package ai.lthn.ml.cli;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.score.ScorerOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ml compare OLD NEW}: go-ml's side-by-side table of two score files' model averages. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = "Compare the per-model averages of two score files (old and new).")
final class CompareCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the older score file")
    Path oldFile;

    @Parameters(index = "1", description = "the newer score file")
    Path newFile;

    @picocli.CommandLine.Option(
            names = "--stats",
            description = "After go-ml's table, compare the runs prompt by prompt: differences with"
                    + " intervals, p-values and a verdict")
    boolean stats;

    @picocli.CommandLine.Option(
            names = "--confidence",
            defaultValue = "0.95",
            description = "Interval confidence for --stats (default: ${DEFAULT-VALUE})")
    double confidence;

    @picocli.CommandLine.Option(
            names = "--seed",
            defaultValue = "42",
            description = "Resampling seed for --stats (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        Map<String, Map<String, Double>> older = averages(oldFile, "old");
        Map<String, Map<String, Double>> newer = averages(newFile, "new");
        PrintWriter out = spec.commandLine().getOut();
        TreeSet<String> models = new TreeSet<>(older.keySet());
        models.addAll(newer.keySet());
        for (String model : models) {
            Map<String, Double> o = older.getOrDefault(model, Map.of());
            Map<String, Double> n = newer.getOrDefault(model, Map.of());
            out.printf("%nModel: %s%n", Terminal.safe(model));
            out.print(String.format("%-25s %11s  %11s  %6s%n", "", "Old", "New", "Delta"));
            TreeSet<String> metrics = new TreeSet<>(o.keySet());
            metrics.addAll(n.keySet());
            for (String metric : metrics) {
                double a = o.getOrDefault(metric, 0.0);
                double b = n.getOrDefault(metric, 0.0);
                String d = fixed2(b - a);
                String delta = d.startsWith("-") ? d : "+" + d;
                out.print(String.format("%-25s %11s  %11s  %6s%n", metric, fixed2(a), fixed2(b), delta));
            }
        }
        out.flush();
        if (stats) {
            if (!(confidence > 0 && confidence < 1))
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--confidence must be in (0, 1)");
            new PairedReport(confidence, seed, 10_000)
                    .print(
                            out,
                            ai.lthn.ml.score.ScorerOutput.read(oldFile),
                            ai.lthn.ml.score.ScorerOutput.read(newFile));
        }
        return 0;
    }

    /** Go's {@code %.2f}: the exact binary value rounded half-to-even. */
    static String fixed2(double v) {
        return ai.lthn.ml.internal.GoFloats.fixed(v, 2);
    }

    /** The file's model averages, read by {@link ScorerOutput#read}; errors say which file it was. */
    private static Map<String, Map<String, Double>> averages(Path file, String which) {
        try {
            return ScorerOutput.read(file).modelAverages();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(
                    e.source(), e.location(), "read " + which + " file: " + e.problem(), e.getCause());
        } catch (MlIOException e) {
            IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
            throw new MlIOException("read " + which + " file: " + e.getMessage(), cause);
        }
    }
}
