package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void goTreeRefusesAByteOrderMarkAsGoDoes() throws Exception {
        byte[] plain = utf8("{\"a\":1}");
        assertThat(Json.goTree(plain, 0, plain.length).path("a").asInt()).isEqualTo(1);
        byte[] bom = utf8("\uFEFF{\"a\":1}");
        assertThat(Json.reader().readTree(bom).path("a").asInt())
                .as("Jackson on bytes")
                .isEqualTo(1);
        assertThatThrownBy(() -> Json.goTree(bom, 0, bom.length)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void goTreeDoesNotGuessUtf32FromZeroBytes() {
        byte[] zeros = {0, 0, 0, '{', '}'};
        assertThatThrownBy(() -> Json.reader().readTree(zeros))
                .as("Jackson on bytes: an encoding error")
                .isInstanceOf(java.io.CharConversionException.class);
        assertThatThrownBy(() -> Json.goTree(zeros, 0, zeros.length))
                .as("Go: a syntax error")
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void goTreeReadsInvalidUtf8InAStringAsReplacementCharacters() throws Exception {
        byte[] b = {'{', '"', 'a', '"', ':', '"', 'x', (byte) 0xff, (byte) 0xfe, 'y', '"', '}'};
        assertThat(Json.goTree(b, 0, b.length).path("a").asText()).isEqualTo("x\uFFFD\uFFFDy");
        assertThat(Json.goTree(b, 1, 4)).isNotNull(); // a range: the string "a"
    }
}
