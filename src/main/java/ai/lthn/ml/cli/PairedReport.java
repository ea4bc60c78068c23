package ai.lthn.ml.cli;

import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.ScorerOutput;
import ai.lthn.ml.score.stats.Comparison;
import ai.lthn.ml.score.stats.Stats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ml compare --stats}: the two runs compared item by item. Per model, prompts are matched
 * by id; each averaged metric gets the mean difference with a paired bootstrap interval and a
 * sign-flip permutation p-value, exact match gets McNemar's exact test; unmatched prompts are
 * counted, never dropped silently.
 */
final class PairedReport {
    private final double confidence;
    private final long seed;
    private final int resamples;

    PairedReport(double confidence, long seed, int resamples) {
        this.confidence = confidence;
        this.seed = seed;
        this.resamples = resamples;
    }

    void print(PrintWriter out, ScorerOutput older, ScorerOutput newer) {
        out.printf(
                "%nPaired comparison (prompts matched by id; %.0f%% intervals; seed %d; B = new, A = old)%n",
                confidence * 100, seed);
        Set<String> models = new TreeSet<>(older.perPrompt().keySet());
        models.addAll(newer.perPrompt().keySet());
        for (String model : models) {
            Map<String, PromptScore> a = byId(older.perPrompt().getOrDefault(model, List.of()));
            Map<String, PromptScore> b = byId(newer.perPrompt().getOrDefault(model, List.of()));
            List<String> matched = new ArrayList<>();
            for (String id : a.keySet()) if (b.containsKey(id)) matched.add(id);
            out.printf(
                    "%nModel: %s  (%d matched, %d only in old, %d only in new)%n",
                    Terminal.safe(model), matched.size(), a.size() - matched.size(), b.size() - matched.size());
            if (matched.isEmpty()) continue;
            out.printf(
                    "%-27s %6s %9s %9s %9s  %-21s %9s  %s%n",
                    "metric", "n", "old", "new", "delta", "interval", "p", "verdict");
            // each item's metrics read once; pairs gathered per metric, in the order of the old file
            Map<String, double[][]> pairs = new LinkedHashMap<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String id : matched) {
                Map<String, Double> y = b.get(id).metricValues();
                a.get(id).forEachMetric((metric, x) -> {
                    Double yv = y.get(metric);
                    if (yv == null) return;
                    double[][] p = pairs.computeIfAbsent(metric, k -> new double[2][matched.size()]);
                    int i = counts.merge(metric, 1, Integer::sum) - 1;
                    p[0][i] = x;
                    p[1][i] = yv;
                });
            }
            for (var e : pairs.entrySet()) {
                int n = counts.get(e.getKey());
                row(
                        out,
                        e.getKey(),
                        Stats.pairedScores(
                                java.util.Arrays.copyOf(e.getValue()[0], n),
                                java.util.Arrays.copyOf(e.getValue()[1], n),
                                confidence,
                                seed,
                                resamples));
            }
            List<boolean[]> exact = new ArrayList<>();
            for (String id : matched) {
                Boolean x = correct(a.get(id));
                Boolean y = correct(b.get(id));
                if (x != null && y != null) exact.add(new boolean[] {x, y});
            }
            if (!exact.isEmpty()) {
                boolean[] xs = new boolean[exact.size()];
                boolean[] ys = new boolean[exact.size()];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = exact.get(i)[0];
                    ys[i] = exact.get(i)[1];
                }
                row(out, "exact (pass rate)", Stats.pairedPassFail(xs, ys, confidence));
            }
        }
        out.flush();
    }

    private static Boolean correct(PromptScore ps) {
        return ps.standard() == null ? null : ps.standard().correct();
    }

    private static Map<String, PromptScore> byId(List<PromptScore> scores) {
        Map<String, PromptScore> out = new LinkedHashMap<>();
        for (PromptScore ps : scores) out.putIfAbsent(ps.id(), ps); // a repeated id: the first counts
        return out;
    }

    private static void row(PrintWriter out, String metric, Comparison c) {
        out.printf(
                "%-27s %6d %9.3f %9.3f %+9.3f  [%+8.3f, %+8.3f] %9.4f  %s%n",
                metric,
                c.n(),
                c.meanA(),
                c.meanB(),
                c.difference(),
                c.interval().low(),
                c.interval().high(),
                c.pValue(),
                c.verdict());
    }
}
