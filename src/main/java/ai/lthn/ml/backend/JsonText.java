package ai.lthn.ml.backend;

import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Checks that JSON text handed to the API (a schema, tool parameters) is one JSON object. */
final class JsonText {
    private JsonText() {}

    /** Parses {@code text}, which must be a JSON object; {@code what} names it in the message. */
    static JsonNode object(String text, String what) {
        JsonNode node;
        try {
            node = Json.reader().readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException(what + " must be a JSON object");
        return node;
    }
}
