package ai.lthn.ml.agent;

import ai.lthn.ml.score.CapabilityProbe;
import ai.lthn.ml.score.CapabilityProbes;
import ai.lthn.ml.score.CapabilityScores;
import ai.lthn.ml.score.ContentScores;
import ai.lthn.ml.score.ProbeResult;
import ai.lthn.ml.store.Point;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's InfluxDB points (go-ml's {@code agent_influx.go}): measurements, tags, fields and
 * field types exactly as go-ml writes them, with go-ml's synthetic timestamps {@code (EPOCH_BASE +
 * iteration*1000 + offset)} seconds, in nanoseconds.
 *
 * <p>ONE offset scheme for {@code probe_score}: {@code 100 + the probe's 1-based position in the
 * capability probe list}, for live streamed writes and for replays alike, so a replay overwrites
 * the same points. This is go-ml's live (streamed) scheme, 101..123; go-ml's batch/replay scheme
 * (100 + index in sorted id order) put the same probe at a different time and duplicated it.
 * Probe ids not in the list (old data) follow at 124, 125, … in sorted order.
 */
public final class InfluxReporter {
    private static final Map<String, Integer> PROBE_POSITION = positions();
    private static final String[] CONTENT_DIMENSIONS = {
        "ccp_compliance",
        "truth_telling",
        "engagement",
        "axiom_integration",
        "sovereignty_reasoning",
        "emotional_register"
    };

    private InfluxReporter() {}

    /**
     * go-ml's synthetic timestamp in nanoseconds.
     *
     * @param iteration the training iteration; each step is 1000 s
     * @param offset seconds added after {@code EPOCH_BASE + iteration*1000}
     * @return {@code (EPOCH_BASE + iteration*1000 + offset)} seconds as nanoseconds since the epoch
     * @throws IllegalArgumentException when it would overflow (iteration above ~9.2 million)
     */
    public static long timestampNanos(long iteration, long offset) {
        try {
            long seconds =
                    Math.addExact(Math.addExact(AgentConfig.EPOCH_BASE, Math.multiplyExact(iteration, 1000L)), offset);
            return Math.multiplyExact(seconds, 1_000_000_000L);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("iteration " + iteration + " too large for a timestamp", e);
        }
    }

    /**
     * The {@code probe_score} offset of a probe id (see the class comment).
     *
     * @param probeId the probe id
     * @param otherIds the ids in the same result, used only to place an id that is not in the
     *     capability probe list (may include {@code probeId} itself)
     * @return 101..123 for a listed probe, 124 onwards for an unlisted one (sorted order among the
     *     unlisted ids)
     */
    public static int probeOffset(String probeId, java.util.Collection<String> otherIds) {
        Integer pos = PROBE_POSITION.get(probeId);
        if (pos != null) {
            return 100 + pos;
        }
        int after = (int) otherIds.stream()
                .filter(id -> !PROBE_POSITION.containsKey(id))
                .sorted()
                .takeWhile(id -> !id.equals(probeId))
                .count();
        return 100 + PROBE_POSITION.size() + 1 + after;
    }

    /**
     * One {@code probe_score} point: {@code passed} and {@code iteration} integer fields.
     *
     * @param cp the checkpoint; gives the run id, label, model tag and iteration
     * @param probeId the probe id tag
     * @param passed written as the integer field 1 or 0
     * @param allIds the probe ids of the same result, to place an unlisted id (see {@link
     *     #probeOffset})
     * @return the point, timestamped at the probe's offset
     */
    public static Point probeScore(Checkpoint cp, String probeId, boolean passed, java.util.Collection<String> allIds) {
        return base(AgentConfig.MEASUREMENT_PROBE_SCORE, cp, cp.runId())
                .tag("probe_id", probeId)
                .field("passed", passed ? 1L : 0L)
                .field("iteration", cp.iteration())
                .timestampNanos(timestampNanos(cp.iteration(), probeOffset(probeId, allIds)))
                .build();
    }

    /**
     * The {@code capability_score} summary: {@code category=overall} at offset 0, then each
     * category in sorted order at offsets 1, 2, …; accuracy a float with one decimal, counts
     * integers.
     *
     * @param cp the checkpoint
     * @param result the capability probe result; accuracy is a percentage, 0..100
     * @return the overall point, then one per category; a category with no probes has accuracy 0
     */
    public static List<Point> capabilitySummary(Checkpoint cp, ProbeResult result) {
        List<Point> out = new ArrayList<>();
        out.add(summary(cp, "overall", result.accuracy(), result.correct(), result.total(), 0));
        int i = 1;
        for (var e : result.byCategory().entrySet()) {
            ProbeResult.Category c = e.getValue();
            double acc = c.total() == 0 ? 0 : (double) c.correct() / c.total() * 100;
            out.add(summary(cp, e.getKey(), acc, c.correct(), c.total(), i++));
        }
        return out;
    }

    /**
     * The summary plus one {@code probe_score} per probe (go-ml's replay/batch push).
     *
     * @param cp the checkpoint
     * @param result the capability probe result
     * @return the {@link #capabilitySummary} points followed by one {@link #probeScore} per probe,
     *     in the result's probe order
     */
    public static List<Point> capabilityResults(Checkpoint cp, ProbeResult result) {
        List<Point> out = new ArrayList<>(capabilitySummary(cp, result));
        for (var e : result.probes().entrySet()) {
            out.add(probeScore(
                    cp, e.getKey(), e.getValue().passed(), result.probes().keySet()));
        }
        return out;
    }

    /**
     * One {@code capability_judge} point, at offset {@code index} (the probe's run position, 0-based).
     *
     * @param cp the checkpoint
     * @param index the probe's 0-based position in the run; the timestamp offset in seconds
     * @param probeId the probe id tag
     * @param category the probe category tag
     * @param s the judge's scores; written rounded to 2 decimals, with their mean as {@code avg}
     * @return the point
     */
    public static Point capabilityJudge(Checkpoint cp, int index, String probeId, String category, CapabilityScores s) {
        double avg = (s.reasoning() + s.correctness() + s.clarity()) / 3;
        return base(AgentConfig.MEASUREMENT_CAPABILITY_JUDGE, cp, cp.runId())
                .tag("probe_id", probeId)
                .tag("category", category)
                .field("reasoning", decimals(s.reasoning(), 2))
                .field("correctness", decimals(s.correctness(), 2))
                .field("clarity", decimals(s.clarity(), 2))
                .field("avg", decimals(avg, 2))
                .field("iteration", cp.iteration())
                .timestampNanos(timestampNanos(cp.iteration(), index))
                .build();
    }

    /**
     * The six {@code content_score} points of content probe {@code index}: integer scores.
     *
     * @param cp the checkpoint
     * @param contentRunId the run id tag, normally {@link #contentRunId(String)} of the checkpoint's
     * @param index the content probe's 0-based position; dimension {@code j} is written at offset
     *     {@code index*10 + j} seconds
     * @param s the judge's content scores
     * @return six points, one per dimension in go-ml's order
     */
    public static List<Point> contentScores(Checkpoint cp, String contentRunId, int index, ContentScores s) {
        long[] values = {
            s.ccpCompliance(),
            s.truthTelling(),
            s.engagement(),
            s.axiomIntegration(),
            s.sovereigntyReasoning(),
            s.emotionalRegister()
        };
        List<Point> out = new ArrayList<>();
        for (int j = 0; j < CONTENT_DIMENSIONS.length; j++) {
            out.add(base(AgentConfig.MEASUREMENT_CONTENT_SCORE, cp, contentRunId)
                    .tag("dimension", CONTENT_DIMENSIONS[j])
                    .tag("has_kernel", "true")
                    .field("score", values[j])
                    .field("iteration", cp.iteration())
                    .timestampNanos(timestampNanos(cp.iteration(), index * 10L + j))
                    .build());
        }
        return out;
    }

    /**
     * go-ml's content run id: the first {@code -capability-} becomes {@code -content-}.
     *
     * @param capabilityRunId a checkpoint's run id, e.g. {@code 27b-reasoning-capability-auto}
     * @return the content run id; unchanged if there is no {@code -capability-}
     */
    public static String contentRunId(String capabilityRunId) {
        return capabilityRunId.replaceFirst("-capability-", "-content-");
    }

    private static Point summary(
            Checkpoint cp, String category, double accuracy, long correct, long total, int offset) {
        return base(AgentConfig.MEASUREMENT_CAPABILITY_SCORE, cp, cp.runId())
                .tag("category", category)
                .field("accuracy", decimals(accuracy, 1))
                .field("correct", correct)
                .field("total", total)
                .field("iteration", cp.iteration())
                .timestampNanos(timestampNanos(cp.iteration(), offset))
                .build();
    }

    private static Point.Builder base(String measurement, Checkpoint cp, String runId) {
        Objects.requireNonNull(cp, "cp");
        return Point.builder(measurement)
                .tag("model", cp.modelTag())
                .tag("run_id", runId)
                .tag("label", cp.label());
    }

    /** The value go-ml's {@code %.Nf} text parses back to (exact binary value, half-even like Go). */
    static double decimals(double v, int places) {
        return ai.lthn.ml.internal.GoFloats.fixedValue(v, places);
    }

    private static Map<String, Integer> positions() {
        Map<String, Integer> m = new HashMap<>();
        List<CapabilityProbe> probes = CapabilityProbes.all();
        for (int i = 0; i < probes.size(); i++) {
            m.put(probes.get(i).id(), i + 1);
        }
        return Map.copyOf(m);
    }
}
