package ai.lthn.ml.score;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * go-ml's {@code ComputeAverages}, incrementally: per model, each heuristic field averaged over
 * the prompts that had heuristic scores (standard scores are not averaged, as in go-ml).
 * Not thread-safe.
 */
public final class ModelAverages {
    private final Map<String, Map<String, double[]>> sums = new TreeMap<>();

    /** Adds one prompt's scores. */
    public void add(PromptScore ps) {
        HeuristicScores h = ps.heuristic();
        if (h == null) return;
        double[] values = h.values();
        Map<String, double[]> model = sums.computeIfAbsent(ps.model(), m -> new TreeMap<>());
        for (int i = 0; i < values.length; i++) {
            double[] sc = model.computeIfAbsent(HeuristicScores.FIELD_NAMES.get(i), k -> new double[2]);
            sc[0] += values[i];
            sc[1]++;
        }
    }

    /** model → field → average, both sorted by name (Go writes map keys sorted). */
    public Map<String, Map<String, Double>> result() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (var m : sums.entrySet()) {
            Map<String, Double> fields = new LinkedHashMap<>();
            for (var f : m.getValue().entrySet()) fields.put(f.getKey(), f.getValue()[0] / f.getValue()[1]);
            out.put(m.getKey(), fields);
        }
        return out;
    }
}
