package ai.lthn.ml.backend;

import ai.lthn.ml.inference.FinishReason;
import java.util.List;
import java.util.Objects;

/**
 * One step of a streamed reply ({@link ChatStream}): what one choice gained in one event.
 *
 * @param index the choice it belongs to (0 unless {@code n > 1})
 * @param content the text it adds ("" for none)
 * @param toolCalls the tool-call fragments it adds; empty for none
 * @param logprobs the log probabilities of the tokens it adds; empty when not asked for
 * @param finishReason why the choice ended, on its last step; {@link FinishReason#UNKNOWN} before
 */
public record ChatDelta(
        int index,
        String content,
        List<ToolCallDelta> toolCalls,
        List<TokenLogprob> logprobs,
        FinishReason finishReason) {
    /**
     * Validates the parts.
     *
     * @param index the choice's index
     * @param content the text; null for none
     * @param toolCalls the fragments; null for none
     * @param logprobs the log probabilities; null for none
     * @param finishReason the finish reason
     */
    public ChatDelta {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
        Objects.requireNonNull(finishReason, "finishReason");
    }

    /**
     * Whether this step ends its choice.
     *
     * @return true when the finish reason is known
     */
    public boolean finished() {
        return finishReason != FinishReason.UNKNOWN;
    }
}
