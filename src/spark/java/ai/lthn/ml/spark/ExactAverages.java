package ai.lthn.ml.spark;

import ai.lthn.ml.score.ContentScores;
import ai.lthn.ml.score.HeuristicScores;
import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.SemanticScores;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * go-ml's model averages, computed where the rows are and equal to the last bit to those of a
 * sequential pass in input order ({@code ml score}'s): an integer field's running double sum is
 * exact (every partial sum is an integer below 2^53), so its partitions send a long sum; a
 * fractional field ({@code lek_score}) depends on the order of additions, so its partitions send
 * their values in order and the driver adds them in partition order. The driver receives a few
 * numbers per model and field, plus 8 bytes per response for each fractional field.
 */
final class ExactAverages implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The averaged names whose values may be fractional (double components of the score records). */
    private static final Set<String> FRACTIONAL = fractional();

    /** model → field → sums, in first-seen order (sorted when the result is made). */
    private final Map<String, Map<String, FieldSum>> models = new LinkedHashMap<>();

    /** One field's sums within a partition. */
    private static final class FieldSum implements Serializable {
        private static final long serialVersionUID = 1L;
        long count;
        long integral;
        double[] values = new double[0];

        void add(double v, boolean fractional) {
            if (fractional) {
                if (count == values.length) values = Arrays.copyOf(values, Math.max(16, values.length * 2));
                values[(int) count] = v;
            } else {
                integral += (long) v;
            }
            count++;
        }
    }

    /** The sums of one partition's score rows. */
    static Iterator<ExactAverages> ofPartition(Iterator<org.apache.spark.sql.Row> rows) {
        ExactAverages sums = new ExactAverages();
        while (rows.hasNext()) {
            PromptScore ps = ScoreRows.toScore(rows.next());
            Map<String, FieldSum> fields = sums.models.computeIfAbsent(ps.model(), m -> new LinkedHashMap<>());
            ps.forEachMetric((field, value) ->
                    fields.computeIfAbsent(field, f -> new FieldSum()).add(value, FRACTIONAL.contains(field)));
        }
        return List.of(sums).iterator();
    }

    /**
     * The averages of partitions' sums, given in partition order.
     *
     * @param partitions the sums of each partition, in order
     * @return model → field → average, both sorted by name, every model listed
     */
    static Map<String, Map<String, Double>> combine(List<ExactAverages> partitions) {
        Map<String, Map<String, double[]>> total = new TreeMap<>(); // {sum, count}
        for (ExactAverages p : partitions)
            p.models.forEach((model, fields) -> {
                Map<String, double[]> t = total.computeIfAbsent(model, m -> new TreeMap<>());
                fields.forEach((field, s) -> {
                    double[] acc = t.computeIfAbsent(field, f -> new double[2]);
                    if (FRACTIONAL.contains(field)) for (int i = 0; i < s.count; i++) acc[0] += s.values[i];
                    else acc[0] += s.integral; // exact: an integer below 2^53
                    acc[1] += s.count;
                });
            });
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        total.forEach((model, fields) -> {
            Map<String, Double> avg = new LinkedHashMap<>();
            fields.forEach((field, acc) -> avg.put(field, acc[0] / acc[1]));
            out.put(model, avg);
        });
        return out;
    }

    private static Set<String> fractional() {
        Set<String> names = new HashSet<>();
        for (Class<?> type : List.of(HeuristicScores.class, SemanticScores.class, ContentScores.class))
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getType() != double.class) {
                    if (c.getType() != int.class && c.getType() != String.class)
                        throw new IllegalStateException("averaged field of type " + c.getType() + ": " + c);
                    continue;
                }
                JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
                String name = p == null ? c.getName() : p.value();
                // content's one shared name is averaged under a prefix (PromptScore.forEachMetric)
                names.add(type == ContentScores.class ? "content_" + name : name);
            }
        return Set.copyOf(names);
    }
}
