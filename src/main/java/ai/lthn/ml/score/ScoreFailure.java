package ai.lthn.ml.score;

import java.util.Objects;

/**
 * One judge suite that gave no scores for one response, and why (go-ml only logged these).
 *
 * @param suite semantic, content, truthfulqa, donotanswer or toxigen
 * @param message what went wrong, in go-ml's words where it had them
 * @param reply the judge's raw reply for {@link Kind#UNPARSEABLE}, else empty
 */
public record ScoreFailure(String id, String model, Suite suite, Kind kind, String message, String reply) {

    /** Why a suite gave no scores. */
    public enum Kind {
        /** The judge call failed (network, status, timeout). */
        CALL_FAILED,
        /** The judge answered but not with the JSON asked for. */
        UNPARSEABLE,
        /** A {@code content} response whose id is not one of the content probes. */
        NO_CONTENT_PROBE,
        /** The run was cancelled before or during the call. */
        CANCELLED
    }

    /**
     * Validates.
     *
     * @param id the id
     * @param kind why the suite gave no scores
     * @param message what went wrong, in go-ml's words where it had them
     * @param model the model
     * @param reply the judge's raw reply for {@link Kind#UNPARSEABLE}, else empty
     * @param suite semantic, content, truthfulqa, donotanswer or toxigen
     */
    public ScoreFailure {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        reply = reply == null ? "" : reply;
    }
}
