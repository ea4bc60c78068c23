package ai.lthn.ml.backend;

import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What one OpenAI-compatible response object says, streamed ({@code chat.completion.chunk}) or
 * not ({@code chat.completion}): the text of the first choice ({@code delta.content},
 * {@code message.content} or a completion's {@code text}), its {@code finish_reason}, the
 * {@code usage} counts and an {@code error} object. Decoded with Jackson's streaming parser:
 * no tree is built, unknown fields are skipped.
 *
 * @param content the first choice's text, or null when the object carries none
 * @param finishReason the first choice's finish reason, or null
 * @param promptTokens usage.prompt_tokens, or -1 when absent
 * @param completionTokens usage.completion_tokens, or -1 when absent
 * @param error the error message when the object is an error, else null
 * @param hasChoices whether a non-empty {@code choices} array was present
 */
record ChatChunk(
        String content, String finishReason, int promptTokens, int completionTokens, String error, boolean hasChoices) {

    boolean hasUsage() {
        return promptTokens >= 0 || completionTokens >= 0;
    }

    /**
     * Decodes one JSON object.
     *
     * @throws IOException if the bytes are not a JSON object
     */
    static ChatChunk decode(byte[] json) throws IOException {
        try (JsonParser p = Json.factory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            String content = null;
            String finish = null;
            String error = null;
            int prompt = -1;
            int completion = -1;
            boolean hasChoices = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "choices" -> {
                        if (value != JsonToken.START_ARRAY) {
                            p.skipChildren();
                            break;
                        }
                        boolean first = true;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            if (!first) {
                                p.skipChildren();
                                continue;
                            }
                            first = false;
                            hasChoices = true;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                JsonToken v = p.nextToken();
                                if (f.equals("delta") || f.equals("message")) {
                                    String c = contentOf(p, v);
                                    if (c != null) content = c;
                                } else if (f.equals("text") && v == JsonToken.VALUE_STRING) {
                                    content = p.getText();
                                } else if (f.equals("finish_reason") && v == JsonToken.VALUE_STRING) {
                                    finish = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        }
                    }
                    case "usage" -> {
                        if (value != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            break;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (f.equals("prompt_tokens") && v == JsonToken.VALUE_NUMBER_INT) prompt = p.getIntValue();
                            else if (f.equals("completion_tokens") && v == JsonToken.VALUE_NUMBER_INT)
                                completion = p.getIntValue();
                            else p.skipChildren();
                        }
                    }
                    case "error" -> error = errorOf(p, value);
                    default -> p.skipChildren();
                }
            }
            return new ChatChunk(content, finish, prompt, completion, error, hasChoices);
        }
    }

    private static String contentOf(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String content = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (f.equals("content") && t == JsonToken.VALUE_STRING) content = p.getText();
            else p.skipChildren();
        }
        return content;
    }

    /** The OpenAI error envelope's message (with type and code when given), or a bare string. */
    private static String errorOf(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) return p.getText();
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return v == JsonToken.VALUE_NULL ? null : "error";
        }
        String message = null;
        String type = null;
        String code = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
                switch (f) {
                    case "message" -> message = p.getText();
                    case "type" -> type = p.getText();
                    case "code" -> code = p.getText();
                    default -> {}
                }
            } else {
                p.skipChildren();
            }
        }
        StringBuilder sb = new StringBuilder(message == null ? "error" : message);
        if (type != null || code != null) {
            sb.append(" (");
            if (type != null) sb.append(type);
            if (type != null && code != null) sb.append(", ");
            if (code != null) sb.append(code);
            sb.append(')');
        }
        return sb.toString();
    }
}
