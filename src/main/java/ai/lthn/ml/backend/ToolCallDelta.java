package ai.lthn.ml.backend;

/**
 * A fragment of a tool call in a streamed reply: the first fragment of a call carries its id and
 * name, later ones pieces of the arguments, all keyed by {@code index}. {@link ChatStream}
 * assembles them into {@link ai.lthn.ml.ToolCall}s.
 *
 * @param index which call of the choice this fragment belongs to
 * @param id the call's id, "" when this fragment does not carry it
 * @param name the function's name, "" when this fragment does not carry it
 * @param arguments the next piece of the arguments' JSON text ("" for none)
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {
    /**
     * Null parts become "".
     *
     * @param index the call's index
     * @param id the id or null
     * @param name the name or null
     * @param arguments the arguments' piece or null
     */
    public ToolCallDelta {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        arguments = arguments == null ? "" : arguments;
    }
}
