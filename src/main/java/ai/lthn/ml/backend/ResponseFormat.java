package ai.lthn.ml.backend;

import java.util.Objects;

/**
 * The shape the reply must take (OpenAI's {@code response_format}): free text, any JSON object,
 * or JSON following a schema. {@code GenOpts.jsonMode} is the JSON-object form for the string API.
 *
 * <pre>{@code
 * record Verdict(String label, double confidence) {}
 * ResponseFormat format = ResponseFormat.jsonSchema("verdict", Verdict.class); // strict
 * }</pre>
 */
public sealed interface ResponseFormat {
    /** Free text ({@code {"type":"text"}}). */
    ResponseFormat TEXT = new Text();
    /** Any JSON object ({@code {"type":"json_object"}}). */
    ResponseFormat JSON_OBJECT = new JsonObject();

    /**
     * JSON following a schema given as text.
     *
     * @param name the schema's name (letters, digits, {@code _}, {@code -})
     * @param schema the JSON Schema, as JSON text
     * @param strict whether the server must follow the schema exactly
     * @return the format
     */
    static ResponseFormat jsonSchema(String name, String schema, boolean strict) {
        return new JsonSchema(name, schema, strict);
    }

    /**
     * Strict JSON following a record's schema ({@link JsonSchemas#strict}).
     *
     * @param name the schema's name
     * @param type the record the reply decodes into
     * @return the format
     * @throws IllegalArgumentException if the record holds a type the mapping does not cover
     */
    static ResponseFormat jsonSchema(String name, Class<? extends Record> type) {
        return new JsonSchema(name, JsonSchemas.strict(type), true);
    }

    /** Free text. */
    record Text() implements ResponseFormat {}

    /** Any JSON object. */
    record JsonObject() implements ResponseFormat {}

    /**
     * JSON following a schema ({@code {"type":"json_schema","json_schema":{name, schema, strict}}}).
     *
     * @param name the schema's name
     * @param schema the JSON Schema, as JSON text (an object)
     * @param strict whether the server must follow it exactly
     */
    record JsonSchema(String name, String schema, boolean strict) implements ResponseFormat {
        /**
         * Validates the name and that the schema is a JSON object.
         *
         * @param name the schema's name: 1 to 64 letters, digits, {@code _} or {@code -}
         * @param schema the JSON Schema text
         * @param strict whether the server must follow it exactly
         * @throws IllegalArgumentException for a bad name or a schema that is not a JSON object
         */
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
            if (!name.matches("[A-Za-z0-9_-]{1,64}"))
                throw new IllegalArgumentException(
                        "json_schema name must be 1 to 64 letters, digits, '_' or '-': \"" + name + "\"");
            JsonText.object(schema, "json_schema " + name);
        }
    }
}
