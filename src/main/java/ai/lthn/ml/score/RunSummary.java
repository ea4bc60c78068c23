package ai.lthn.ml.score;

import java.time.Duration;

/**
 * What a scoring run did.
 *
 * @param prompts responses scored (read from the input)
 * @param judgeCalls judge tasks created (each ends scored, unparseable, failed or cancelled)
 * @param judged judge tasks that gave scores
 * @param unparseable judge replies that were not the requested JSON
 * @param callFailures judge calls that failed
 * @param skipped content responses without a known probe
 * @param cancelled judge tasks cancelled
 * @param wasCancelled whether the run was cancelled (then not every input response was read)
 * @param elapsed wall time of the run
 */
public record RunSummary(
        long prompts,
        long judgeCalls,
        long judged,
        long unparseable,
        long callFailures,
        long skipped,
        long cancelled,
        boolean wasCancelled,
        Duration elapsed) {

    /**
     * Failures of every kind.
     *
     * @return the judge tasks that gave no scores, all kinds together
     */
    public long failures() {
        return unparseable + callFailures + skipped + cancelled;
    }
}
