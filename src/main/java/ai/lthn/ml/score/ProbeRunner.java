package ai.lthn.ml.score;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.score.internal.GoText;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-ml's {@code RunCapabilityProbes}: the 23 capability probes against a backend, in order, at
 * temperature 0.1 with 500 tokens; each reply is think-stripped and checked; a failed call counts
 * as a failed probe with the error as its response (go-ml's {@code ...Full} variant checked the
 * error text like an answer, so an error could pass a probe; this one never does).
 */
public final class ProbeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);
    private static final GenOpts OPTS =
            GenOpts.builder().temperature(0.1).maxTokens(500).build();
    private static final int STORED_BYTES = 300;

    private ProbeRunner() {}

    /**
     * Runs every probe, one after another.
     *
     *
     * @param backend the backend to call
     * @return the probes' outcomes
     * @throws GenerationCancelledException if a call is cancelled (the thread was interrupted):
     *     the run stops there instead of failing every remaining probe
     */
    public static ProbeResult run(Backend backend) {
        Map<String, int[]> categories = new LinkedHashMap<>();
        Map<String, ProbeResult.Single> probes = new LinkedHashMap<>();
        int correct = 0;
        int total = 0;
        for (CapabilityProbe probe : CapabilityProbes.all()) {
            int[] cat = categories.computeIfAbsent(probe.category(), c -> new int[2]);
            total++;
            cat[1]++;
            String reply;
            try {
                reply = backend.generate(probe.prompt(), OPTS);
            } catch (GenerationCancelledException e) {
                throw e; // interrupted: the remaining probes would only fail too
            } catch (MlException e) {
                LOG.warn("[{}] ERROR: {}", probe.id(), e.getMessage());
                probes.put(probe.id(), new ProbeResult.Single(false, String.valueOf(e.getMessage())));
                continue;
            }
            String clean = ThinkBlocks.strip(reply);
            boolean passed = probe.check(clean);
            if (passed) {
                correct++;
                cat[0]++;
            }
            probes.put(probe.id(), new ProbeResult.Single(passed, GoText.prefixBytes(clean, STORED_BYTES)));
            LOG.info("[{}] {} (expected: {})", probe.id(), passed ? "PASS" : "FAIL", probe.answer());
        }
        Map<String, ProbeResult.Category> byCategory = new LinkedHashMap<>();
        categories.forEach((k, v) -> byCategory.put(k, new ProbeResult.Category(v[0], v[1])));
        double accuracy = total > 0 ? (double) correct / total * 100 : 0;
        return new ProbeResult(accuracy, correct, total, byCategory, probes);
    }
}
