package ai.lthn.ml.backend;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A function the model may call (OpenAI's {@code tools[]} entry of type {@code function}).
 *
 * <pre>{@code
 * record Weather(String city, Unit unit) {}
 * Tool weather = Tool.function("get_weather", "Current weather in a city", Weather.class);
 * }</pre>
 *
 * @param name the function's name: letters, digits, {@code _} and {@code -}, at most 64 (OpenAI's rule)
 * @param description what it does, for the model; "" for none
 * @param parameters the JSON Schema of its arguments, as JSON text (an object)
 * @param strict whether the server must make the arguments match the schema exactly (OpenAI's
 *     structured outputs; the schema must then be strict, as {@link JsonSchemas#strict} makes it)
 */
public record Tool(String name, String description, String parameters, boolean strict) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Validates the name and that the parameters are a JSON object.
     *
     * @param name the function's name
     * @param description what it does; null for none
     * @param parameters the JSON Schema of the arguments
     * @param strict whether the arguments must match the schema exactly
     * @throws IllegalArgumentException for a name OpenAI would refuse or parameters that are not a JSON object
     */
    public Tool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameters, "parameters");
        description = description == null ? "" : description;
        if (!NAME.matcher(name).matches())
            throw new IllegalArgumentException(
                    "tool name must be 1 to 64 letters, digits, '_' or '-': \"" + name + "\"");
        JsonText.object(parameters, "parameters of tool " + name);
    }

    /**
     * A tool whose arguments follow a JSON Schema given as text (not strict).
     *
     * @param name the function's name
     * @param description what it does
     * @param parametersSchema the arguments' JSON Schema (a JSON object)
     * @return the tool
     */
    public static Tool function(String name, String description, String parametersSchema) {
        return new Tool(name, description, parametersSchema, false);
    }

    /**
     * A strict tool whose arguments are a record: the schema is {@link JsonSchemas#strict} of it.
     *
     * @param name the function's name
     * @param description what it does
     * @param arguments the record the arguments decode into
     * @return the tool
     * @throws IllegalArgumentException if the record holds a type the schema mapping does not cover
     */
    public static Tool function(String name, String description, Class<? extends Record> arguments) {
        return new Tool(name, description, JsonSchemas.strict(arguments), true);
    }
}
