package ai.lthn.ml;

import java.util.Objects;

/**
 * A function call the model asked for (OpenAI's {@code tool_calls[]} entry of type
 * {@code function}). An assistant {@link Message} carries the calls back to the server on the next
 * turn, and each answer goes in a {@link Message#tool tool message} naming the call's id.
 *
 * @param id the call's id, chosen by the server (answer it with {@link Message#tool(String, String)})
 * @param name the function's name
 * @param arguments the arguments as the model wrote them: JSON text, not checked here (models
 *     sometimes produce invalid JSON; parse and validate it before acting on it)
 */
public record ToolCall(String id, String name, String arguments) {
    /**
     * Validates that every part is present.
     *
     * @param id the call's id
     * @param name the function's name
     * @param arguments the arguments' JSON text
     */
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
