package ai.lthn.ml.score;

import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Kept for the benchmarks only ({@code ResponseDecodeBench}, the JSON-reader comparison): the fast
 * path of {@link ResponseReader} in issue 18's first round, before {@link LineDecoder}. One streaming pass of Jackson's parser over a line's
 * bytes straight into a {@link Response}, without data binding. It accepts only the plain shape —
 * one object; known fields (ASCII names, any case) each at most once, strings or {@code null}, a
 * number for {@code elapsed_seconds}; unknown fields skipped; nothing after the object — and
 * answers {@code null} for anything else (a syntax error, a wrong type, a repeated or non-ASCII
 * key, another root value), so that the data-binding path decides those lines with today's rules
 * and wording. For the lines it accepts, both paths give equal responses
 * ({@code ResponseDecoderTest} compares them).
 */
final class ResponseDecoder {
    private static final JsonFactory FACTORY = Json.factory();

    /** Field names, lower case, in the order of {@link Response}'s components. */
    private static final String[] NAMES = {
        "id", "domain", "prompt", "response", "model", "elapsed_seconds", "correct_answer", "best_answer", "risk_area"
    };

    private static final int ELAPSED = 5;

    private ResponseDecoder() {}

    /**
     * Decodes {@code buf[from, from + length)}, valid UTF-8.
     *
     * @return the response, or null when the line is not of the plain shape (the caller decodes it
     *     with data binding)
     */
    static Response decode(byte[] buf, int from, int length) {
        String[] values = new String[NAMES.length];
        double elapsed = 0;
        int seen = 0;
        try (JsonParser p = FACTORY.createParser(buf, from, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                int field = field(p.currentName());
                JsonToken v = p.nextToken();
                if (field == -2) return null;
                if (field < 0) {
                    p.skipChildren();
                    continue;
                }
                if ((seen & (1 << field)) != 0) return null;
                seen |= 1 << field;
                if (field == ELAPSED) {
                    if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) return null;
                    elapsed = p.getDoubleValue();
                } else if (v == JsonToken.VALUE_STRING) {
                    values[field] = p.getText();
                } else if (v != JsonToken.VALUE_NULL) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new Response(
                values[0], values[1], values[2], values[3], values[4], elapsed, values[6], values[7], values[8]);
    }

    /** The field index of {@code name} (ASCII case-insensitive), -1 for an unknown ASCII name, -2 otherwise. */
    private static int field(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) return -2;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) return i;
        }
        return -1;
    }
}
