package ai.lthn.ml.inference;

/** Why a generation ended, in the OpenAI wire vocabulary. */
public enum FinishReason {
    /** The model produced an end-of-sequence token or a stop sequence ("stop"). */
    STOP("stop"),
    /** The token limit was reached ("length"). */
    LENGTH("length"),
    /** The model stopped to call tools ("tool_calls"). */
    TOOL_CALLS("tool_calls"),
    /** The server's content filter withheld or cut the reply ("content_filter"). */
    CONTENT_FILTER("content_filter"),
    /** The generation has not ended yet, or the engine did not say why it ended. */
    UNKNOWN("");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The OpenAI {@code finish_reason} value: "stop", "length", "tool_calls", "content_filter",
     * or "" when unknown.
     *
     * @return the OpenAI {@code finish_reason} value, "" when unknown
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a wire value: "stop", "length", "tool_calls" and "content_filter" are known (so is
     * the legacy "function_call", as TOOL_CALLS); anything else (or null) is UNKNOWN.
     *
     * @param value the wire name, e.g. "stop"; may be null
     * @return the reason; {@link #UNKNOWN} for a name it does not know
     */
    public static FinishReason fromWire(String value) {
        if ("stop".equals(value)) return STOP;
        if ("length".equals(value)) return LENGTH;
        if ("tool_calls".equals(value) || "function_call".equals(value)) return TOOL_CALLS;
        if ("content_filter".equals(value)) return CONTENT_FILTER;
        return UNKNOWN;
    }
}
