package ai.lthn.ml.spark;

import ai.lthn.ml.score.AdaptiveLimit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The judge-call limits of one executor JVM: one per scoring run, shared by every task of that
 * run the executor runs, so the calls in flight from the executor never exceed its share of the
 * cluster's bound however many tasks run at once.
 */
final class ExecutorLimits {
    /** Runs an executor remembers (a run is a handful of bytes; old ones are dropped). */
    private static final int KEPT = 64;

    private static final Map<String, AdaptiveLimit> LIMITS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AdaptiveLimit> eldest) {
            return size() > KEPT;
        }
    };

    private ExecutorLimits() {}

    /**
     * The limit of a run in this JVM.
     *
     * @param run the run's id (made on the driver)
     * @param max the executor's share of the bound
     * @return the limit, the same object for every task of the run in this JVM
     */
    static synchronized AdaptiveLimit of(String run, int max) {
        return LIMITS.computeIfAbsent(run, r -> new AdaptiveLimit(max));
    }
}
