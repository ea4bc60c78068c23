package ai.lthn.ml.score;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * go-ml's {@code ComputeAverages}, incrementally: per model, each heuristic, semantic and content
 * field averaged over the prompts that had that suite's scores (content's emotional register as
 * {@code content_emotional_register}; standard scores are not averaged, as in go-ml). Every
 * model with a prompt is listed, with no fields if none of its prompts had those scores (go-ml
 * writes {@code "model": {}}, and {@code ml compare} prints a header for it).
 * Not thread-safe.
 */
final class ModelAverages {
    private final Map<String, Map<String, double[]>> sums = new TreeMap<>();

    /** Adds one prompt's scores. */
    void add(PromptScore ps) {
        sums.computeIfAbsent(ps.model(), m -> new TreeMap<>()); // go-ml lists every model, {} if nothing was averaged
        String model = ps.model();
        ps.forEachMetric((field, value) -> sample(model, field, value));
    }

    /**
     * Adds one model's scores in input order; for {@link CompactScores}, straight from its columns
     * (the same sums, bit for bit: each field is summed in the same order).
     */
    void addAll(String model, List<PromptScore> scores) {
        if (!(scores instanceof CompactScores compact)) {
            scores.forEach(this::add);
            return;
        }
        Map<String, double[]> fields = sums.computeIfAbsent(model, m -> new TreeMap<>());
        double[] s = compact.heuristicSums();
        int n = compact.heuristicCount();
        if (n == 0) return;
        List<GoJson.Named> names = HeuristicScores.SHAPE.numbers();
        for (int k = 0; k < 9; k++) fields.put(names.get(k).name(), new double[] {s[k], n});
    }

    private void sample(String model, String field, double value) {
        double[] sc = sums.computeIfAbsent(model, m -> new TreeMap<>()).computeIfAbsent(field, k -> new double[2]);
        sc[0] += value;
        sc[1]++;
    }

    /** model → field → average, both sorted by name (Go writes map keys sorted). */
    Map<String, Map<String, Double>> result() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (var m : sums.entrySet()) {
            Map<String, Double> fields = new LinkedHashMap<>();
            for (var f : m.getValue().entrySet()) fields.put(f.getKey(), f.getValue()[0] / f.getValue()[1]);
            out.put(m.getKey(), fields);
        }
        return out;
    }
}
