package ai.lthn.ml.backend;

import ai.lthn.ml.ToolCall;
import ai.lthn.ml.inference.FinishReason;
import java.util.List;
import java.util.Objects;

/**
 * Everything one chat call returned, for callers who need more than the string of
 * {@link ai.lthn.ml.Backend#chat}: every choice's text, finish reason, tool calls and token
 * log probabilities, and the usage. The accessors without an index read the first choice.
 *
 * @param id the server's id for the completion ("" when it gave none)
 * @param model the model the server says answered ("" when it did not say)
 * @param choices the replies, by index; at least one
 * @param usage the token counts, {@link Usage#UNKNOWN} when the server sent none
 */
public record ChatResult(String id, String model, List<ChatChoice> choices, Usage usage) {
    /**
     * Validates the parts.
     *
     * @param id the completion's id
     * @param model the model
     * @param choices the replies, at least one
     * @param usage the counts
     */
    public ChatResult {
        id = id == null ? "" : id;
        model = model == null ? "" : model;
        choices = List.copyOf(choices);
        if (choices.isEmpty()) throw new IllegalArgumentException("a result needs at least one choice");
        Objects.requireNonNull(usage, "usage");
    }

    /**
     * The first choice's text.
     *
     * @return the text
     */
    public String text() {
        return choices.get(0).text();
    }

    /**
     * Why the first choice ended.
     *
     * @return the finish reason
     */
    public FinishReason finishReason() {
        return choices.get(0).finishReason();
    }

    /**
     * The first choice's tool calls.
     *
     * @return the calls; empty for none
     */
    public List<ToolCall> toolCalls() {
        return choices.get(0).toolCalls();
    }

    /**
     * The first choice's token log probabilities.
     *
     * @return one entry per token; empty when not asked for
     */
    public List<TokenLogprob> logprobs() {
        return choices.get(0).logprobs();
    }
}
