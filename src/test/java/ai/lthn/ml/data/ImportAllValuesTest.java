package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** go-ml's %v and json.Marshal of decoded JSON values, as import-all stores them. */
class ImportAllValuesTest {
    private static JsonNode json(String s) throws Exception {
        return Json.reader().readTree(s);
    }

    @Test
    void percentVOfDecodedValues() throws Exception {
        assertThat(ImportAll.goV(null)).isEqualTo("<nil>");
        assertThat(ImportAll.goV(json("null"))).isEqualTo("<nil>");
        assertThat(ImportAll.goV(json("12"))).isEqualTo("12");
        assertThat(ImportAll.goV(json("1000000"))).isEqualTo("1e+06");
        assertThat(ImportAll.goV(json("1234567"))).isEqualTo("1.234567e+06");
        assertThat(ImportAll.goV(json("-0.5"))).isEqualTo("-0.5");
        assertThat(ImportAll.goV(json("true"))).isEqualTo("true");
        assertThat(ImportAll.goV(json("[1, \"a\", null]"))).isEqualTo("[1 a <nil>]");
        assertThat(ImportAll.goV(json("{\"b\": 1, \"a\": [true]}"))).isEqualTo("map[a:[true] b:1]");
        assertThat(ImportAll.strOrEmpty(json("{}"), "x")).isEmpty();
    }

    @Test
    void marshalSortsKeysAndEscapesAsGo() throws Exception {
        assertThat(ImportAll.goJson(null)).isEqualTo("null");
        assertThat(ImportAll.goJson(json("[\"<a>\", 2, 2.5]"))).isEqualTo("[\"\\u003ca\\u003e\",2,2.5]");
        assertThat(ImportAll.goJson(json("{\"z\": 1, \"a\": {\"y\": null, \"b\": false}}")))
                .isEqualTo("{\"a\":{\"b\":false,\"y\":null},\"z\":1}");
    }
}
