package ai.lthn.ml.score;

import java.util.HashMap;
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
    /** The heuristic fields' names, in {@link #heuristic}'s order (the record's). */
    private static final List<String> HEURISTIC_FIELDS =
            HeuristicScores.SHAPE.numbers().stream().map(GoJson.Named::name).toList();

    private final Map<String, Map<String, double[]>> sums = new TreeMap<>();

    /**
     * Per model, the heuristic sums and their count (the last element): read straight from the
     * record, in the same input order, so the same doubles as the by-name path, without a
     * reflective call and a map look-up per field and prompt.
     */
    private final Map<String, double[]> heuristic = new HashMap<>();

    /** Adds one prompt's scores. */
    void add(PromptScore ps) {
        sums.computeIfAbsent(ps.model(), m -> new TreeMap<>()); // go-ml lists every model, {} if nothing was averaged
        String model = ps.model();
        HeuristicScores h = ps.heuristic();
        if (h != null) {
            double[] sc = heuristic.computeIfAbsent(model, m -> new double[HEURISTIC_FIELDS.size() + 1]);
            sc[0] += h.complianceMarkers();
            sc[1] += h.formulaicPreamble();
            sc[2] += h.firstPerson();
            sc[3] += h.creativeForm();
            sc[4] += h.engagementDepth();
            sc[5] += h.emotionalRegister();
            sc[6] += h.degeneration();
            sc[7] += h.emptyBroken();
            sc[8] += h.lekScore();
            sc[9]++;
        }
        if (ps.semantic() != null || ps.content() != null)
            new PromptScore(ps.id(), model, null, ps.semantic(), ps.content(), null)
                    .forEachMetric((field, value) -> sample(model, field, value));
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
            TreeMap<String, Double> sorted = new TreeMap<>();
            for (var f : m.getValue().entrySet()) sorted.put(f.getKey(), f.getValue()[0] / f.getValue()[1]);
            double[] sc = heuristic.get(m.getKey());
            if (sc != null) {
                int count = HEURISTIC_FIELDS.size();
                for (int i = 0; i < count; i++) sorted.put(HEURISTIC_FIELDS.get(i), sc[i] / sc[count]);
            }
            out.put(m.getKey(), new LinkedHashMap<>(sorted));
        }
        return out;
    }
}
