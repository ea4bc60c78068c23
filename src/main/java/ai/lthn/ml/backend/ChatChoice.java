package ai.lthn.ml.backend;

import ai.lthn.ml.Message;
import ai.lthn.ml.ToolCall;
import ai.lthn.ml.inference.FinishReason;
import java.util.List;
import java.util.Objects;

/**
 * One of the replies to a call ({@code choices[i]}; several when {@code n > 1}).
 *
 * @param index the choice's index, from 0
 * @param text the reply's text ("" when the model only called tools)
 * @param finishReason why it ended
 * @param toolCalls the tool calls it made, in order; empty for none
 * @param logprobs one entry per generated token when logprobs were asked for, else empty
 */
public record ChatChoice(
        int index, String text, FinishReason finishReason, List<ToolCall> toolCalls, List<TokenLogprob> logprobs) {
    /**
     * Validates the parts.
     *
     * @param index the index, 0 or more
     * @param text the text
     * @param finishReason why it ended
     * @param toolCalls the calls; null for none
     * @param logprobs the token log probabilities; null for none
     */
    public ChatChoice {
        if (index < 0) throw new IllegalArgumentException("choice index < 0: " + index);
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
    }

    /**
     * This reply as the assistant turn to send back on the next call (with its tool calls).
     *
     * @return the assistant message
     */
    public Message toMessage() {
        return Message.assistant(text, toolCalls);
    }
}
