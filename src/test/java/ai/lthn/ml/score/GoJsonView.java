package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoText;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Go's reading of a response line ({@code encoding/json} into go-ml's struct), by its rules, on
 * Jackson's token stream: keys matched in any case and with ſ → s, K → k; the last value wins;
 * {@code null} changes nothing; lone surrogates are U+FFFD. For lines {@link LineDecoder} accepted
 * (valid JSON of the plain shape). {@code dataBindingDiffers} when a rule data binding lacks was
 * used (a repeated field, a folded key).
 *
 * @param response what Go reads
 * @param dataBindingDiffers whether data binding reads the line otherwise
 */
record GoJsonView(Response response, boolean dataBindingDiffers) {
    private static final List<String> NAMES = List.of(
            "id",
            "domain",
            "prompt",
            "response",
            "model",
            "elapsed_seconds",
            "correct_answer",
            "best_answer",
            "risk_area");

    static GoJsonView of(byte[] line) throws IOException {
        String[] values = new String[9];
        double elapsed = 0;
        boolean differs = false;
        Set<Integer> seen = new HashSet<>();
        // the text Go reads (UTF-8, other bytes as U+FFFD), on Jackson's char parser: its byte
        // parser refuses a broken surrogate escape in a key ("\\ud800\\ud830"), which Go reads as
        // U+FFFD (Jazzer found it in a nested key LineDecoder had rightly skipped)
        try (JsonParser p = new JsonFactory().createParser(ai.lthn.ml.internal.GoUtf8.decode(line, 0, line.length))) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String folded =
                        key.toLowerCase(Locale.ROOT).replace('\u017F', 's').replace('\u212A', 'k');
                int f = NAMES.indexOf(folded);
                JsonToken v = p.nextToken();
                if (f < 0) {
                    p.skipChildren();
                    continue;
                }
                differs |= !seen.add(f) || !folded.equals(key.toLowerCase(Locale.ROOT));
                if (v == JsonToken.VALUE_NULL) continue;
                if (f == 5) elapsed = p.getDoubleValue();
                else values[f] = GoText.goString(p.getText());
            }
        }
        return new GoJsonView(
                new Response(
                        values[0], values[1], values[2], values[3], values[4], elapsed, values[6], values[7],
                        values[8]),
                differs);
    }
}
