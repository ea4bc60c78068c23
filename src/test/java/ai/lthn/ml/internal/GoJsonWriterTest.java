package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoJsonWriterTest {
    @Test
    void writesWhatGoMarshalIndentWrites() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("a", 1);
        v.put("b", List.of());
        v.put("c", Map.of());
        v.put("d", List.of("x", "y"));
        v.put("e", Map.of("f", 1.5));
        v.put("g", "<&> \u2028 é");
        v.put("h", 4.0);
        v.put("i", null);
        // What Go's json.MarshalIndent(v, "", "  ") prints for the same values.
        String go = "{\n"
                + "  \"a\": 1,\n"
                + "  \"b\": [],\n"
                + "  \"c\": {},\n"
                + "  \"d\": [\n"
                + "    \"x\",\n"
                + "    \"y\"\n"
                + "  ],\n"
                + "  \"e\": {\n"
                + "    \"f\": 1.5\n"
                + "  },\n"
                + "  \"g\": \"\\u003c\\u0026\\u003e \\u2028 é\",\n"
                + "  \"h\": 4,\n"
                + "  \"i\": null\n"
                + "}";
        assertThat(GoJsonWriter.indented(new ObjectMapper()).writeValueAsString(v))
                .isEqualTo(go);
    }

    @Test
    void writesControlsAndCharactersOutsideTheBmpAsGoDoes() throws Exception {
        Map<String, Object> v = Map.of("k", "\u0001\u001f\b\f\n\u007f \ud83d\ude00 \u4e2d");
        // Go 1.22+ (go-ml builds with 1.25): \b and \f short, other controls in lower-case hex, DEL
        // as is, an emoji as its four UTF-8 bytes (not two escaped surrogates)
        String go = "{\n  \"k\": \"\\u0001\\u001f\\b\\f\\n\u007f \ud83d\ude00 \u4e2d\"\n}";
        ObjectWriter w = GoJsonWriter.indented(new ObjectMapper());
        assertThat(new String(w.writeValueAsBytes(v), StandardCharsets.UTF_8)).isEqualTo(go);
        assertThat(w.writeValueAsString(v)).isEqualTo(go);
        assertThat(new String(GoJsonWriter.compact(new ObjectMapper()).writeValueAsBytes(v), StandardCharsets.UTF_8))
                .isEqualTo(go.replace("\n  ", "").replace("\": ", "\":").replace("\n}", "}"));
    }
}
