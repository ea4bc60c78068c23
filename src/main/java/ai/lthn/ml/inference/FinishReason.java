package ai.lthn.ml.inference;

/** Why a generation ended, in the OpenAI wire vocabulary. */
public enum FinishReason {
    /** The model produced an end-of-sequence token or a stop sequence ("stop"). */
    STOP("stop"),
    /** The token limit was reached ("length"). */
    LENGTH("length"),
    /** The generation has not ended yet, or the engine did not say why it ended. */
    UNKNOWN("");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The OpenAI {@code finish_reason} value: "stop", "length", or "" when unknown.
     *
     * @return the OpenAI {@code finish_reason} value: "stop", "length", or "" when unknown
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a wire value: "stop" and "length" are known; anything else (or null) is UNKNOWN.
     *
     * @param value the wire name, e.g. "stop"; may be null
     * @return the reason; {@link #UNKNOWN} for a name it does not know
     */
    public static FinishReason fromWire(String value) {
        if ("stop".equals(value)) return STOP;
        if ("length".equals(value)) return LENGTH;
        return UNKNOWN;
    }
}
