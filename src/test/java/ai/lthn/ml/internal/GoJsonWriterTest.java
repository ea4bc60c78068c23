package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
}
