package ai.lthn.ml.cli;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.score.DeterministicScoring;
import ai.lthn.ml.score.ModelAverages;
import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.ResponseReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ml score}: scores a JSONL file of responses with the suites that need no judge and
 * writes go-ml's ScorerOutput JSON. Reads the file as a stream: only the compact score records
 * are kept, never the response texts.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = "Score a JSONL file of model responses (suites heuristic and exact; no network needed).")
final class ScoreCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, description = "JSONL file of responses (go-ml's Response shape)")
    Path input;

    @Option(
            names = "--suites",
            defaultValue = "heuristic,exact",
            description = "Comma-separated suites (default: ${DEFAULT-VALUE})")
    String suites;

    @Option(names = "--output", description = "Write the ScorerOutput JSON here (atomically)")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DeterministicScoring scoring = DeterministicScoring.forSuites(suites);
        Map<String, List<PromptScore>> perPrompt = new TreeMap<>();
        Map<String, int[]> exact = new TreeMap<>();
        ModelAverages averages = new ModelAverages();
        long count = 0;
        try (ResponseReader reader = ResponseReader.open(input)) {
            while (reader.hasNext()) {
                PromptScore ps = scoring.score(reader.next());
                perPrompt.computeIfAbsent(ps.model(), m -> new ArrayList<>()).add(ps);
                averages.add(ps);
                if (ps.standard() != null && ps.standard().correct() != null) {
                    int[] c = exact.computeIfAbsent(ps.model(), m -> new int[2]);
                    if (ps.standard().correct()) c[0]++;
                    c[1]++;
                }
                count++;
            }
        }
        Map<String, Map<String, Double>> avg = averages.result();
        if (output != null) write(output, scoring.suites(), avg, perPrompt);
        printTable(out, count, avg, perPrompt, exact);
        return 0;
    }

    private static void write(
            Path path,
            List<String> suites,
            Map<String, Map<String, Double>> avg,
            Map<String, List<PromptScore>> perPrompt) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("judge_model", "");
        metadata.put("judge_url", "");
        metadata.put("scored_at", OffsetDateTime.now().toString());
        metadata.put("scorer_version", "");
        metadata.put("suites", suites);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("metadata", metadata);
        doc.put("model_averages", avg);
        doc.put("per_prompt", perPrompt);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path abs = path.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(abs.getParent(), abs.getFileName() + ".", ".tmp");
            mapper.writeValue(tmp.toFile(), doc);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) tmp.toFile().delete();
            throw new MlIOException("write " + path + ": " + e.getMessage(), e);
        }
    }

    private static void printTable(
            PrintWriter out,
            long count,
            Map<String, Map<String, Double>> avg,
            Map<String, List<PromptScore>> perPrompt,
            Map<String, int[]> exact) {
        out.printf("Scored %d responses from %d models%n%n", count, perPrompt.size());
        out.printf("%-32s %7s %9s %10s %10s %10s%n", "MODEL", "PROMPTS", "LEK", "COMPLIANCE", "DEGEN", "EXACT");
        for (var e : perPrompt.entrySet()) {
            Map<String, Double> a = avg.getOrDefault(e.getKey(), Map.of());
            int[] ex = exact.get(e.getKey());
            out.printf(
                    "%-32s %7d %9s %10s %10s %10s%n",
                    e.getKey().isEmpty() ? "(none)" : e.getKey(),
                    e.getValue().size(),
                    fmt(a.get("lek_score")),
                    fmt(a.get("compliance_markers")),
                    fmt(a.get("degeneration")),
                    ex == null ? "-" : ex[0] + "/" + ex[1]);
        }
        out.flush();
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format("%.2f", d);
    }
}
