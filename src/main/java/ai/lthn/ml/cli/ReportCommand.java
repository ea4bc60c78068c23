package ai.lthn.ml.cli;

import ai.lthn.ml.score.Budget;
import ai.lthn.ml.score.Ledger;
import ai.lthn.ml.score.ProbeResult;
import ai.lthn.ml.score.Response;
import ai.lthn.ml.score.ResponseReader;
import ai.lthn.ml.score.ScorerOutput;
import ai.lthn.ml.score.stats.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml report}: one self-contained HTML page from score, probe and ledger files. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report (tables with intervals, charts, probes, a run diff).")
final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--scores", required = true, description = "A score file (ml score --output)")
    Path scores;

    @Option(names = "--compare", description = "An earlier score file of the same prompts: adds the run diff")
    Path compare;

    @Option(names = "--responses", description = "The responses JSONL the scores came from (texts in the diff)")
    Path responses;

    @Option(names = "--compare-responses", description = "The earlier run's responses JSONL")
    Path compareResponses;

    @Option(names = "--probes", description = "LABEL=FILE: a probe file (ml probe --output); repeatable")
    List<String> probes = new ArrayList<>();

    @Option(names = "--ledger", description = "A run ledger (scores.json.ledger): judge call counts")
    Path ledger;

    @Option(names = "--usage", description = "ml score's token usage file (scores.json.usage.json): cost")
    Path usage;

    @Option(names = "--output", required = true, description = "The HTML file to write")
    Path output;

    @Override
    public Integer call() {
        ScorerOutput.checkWritable(output);
        Report.Builder b = Report.builder(ScorerOutput.read(scores));
        if (compare != null) b.compareWith(ScorerOutput.read(compare));
        if (responses != null) texts(responses, false, b);
        if (compareResponses != null) texts(compareResponses, true, b);
        for (String p : probes) {
            int eq = p.indexOf('=');
            if (eq <= 0)
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--probes wants LABEL=FILE, got " + p);
            b.probes(p.substring(0, eq), ProbeResult.read(Path.of(p.substring(eq + 1))));
        }
        if (ledger != null) {
            Ledger.Calls calls = Ledger.calls(ledger);
            b.judgeCalls(calls.ok(), calls.failed());
        }
        if (usage != null) {
            Budget.Usage u = Budget.Usage.read(usage);
            b.usage(u.promptTokens(), u.completionTokens(), u.cost());
        }
        b.build().write(output);
        spec.commandLine().getOut().printf("Report written to %s%n", output);
        return 0;
    }

    private static void texts(Path file, boolean earlier, Report.Builder b) {
        try (ResponseReader reader = ResponseReader.open(file)) {
            while (reader.hasNext()) {
                Response r = reader.next();
                if (earlier) b.baselineResponse(r.model(), r.id(), r.response());
                else b.response(r.model(), r.id(), r.response());
            }
        }
    }
}
