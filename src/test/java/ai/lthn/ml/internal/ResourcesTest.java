package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResourcesTest {

    /** Every JSON table the library ships reads as the same tree data binding's readTree makes. */
    @Test
    void jsonTreesAreDataBindingsTrees() throws Exception {
        Path root = Path.of("src", "main", "resources");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path file : files) {
            String name = "/" + root.relativize(file).toString().replace('\\', '/');
            JsonNode streamed = Resources.json(ResourcesTest.class, name);
            JsonNode bound = Json.reader().readTree(Resources.bytes(ResourcesTest.class, name));
            assertThat(streamed).as(name).isEqualTo(bound);
            assertThat(streamed.toString()).as(name).isEqualTo(bound.toString());
        }
    }

    @Test
    void numbersKeepTheirKinds() {
        JsonNode n = Resources.json(ResourcesTest.class, "numbers.json");
        assertThat(n.get("int").isInt()).isTrue();
        assertThat(n.get("long").isLong()).isTrue();
        assertThat(n.get("big").isBigInteger()).isTrue();
        assertThat(n.get("float").isDouble()).isTrue();
        assertThat(n).isEqualTo(parse(Resources.bytes(ResourcesTest.class, "numbers.json")));
    }

    @Test
    void aBrokenResourceNamesItself() {
        assertThatThrownBy(() -> Resources.json(ResourcesTest.class, "broken.json"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("ai/lthn/ml/internal/broken.json");
        assertThatThrownBy(() -> Resources.json(ResourcesTest.class, "two-values.json"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("ai/lthn/ml/internal/two-values.json");
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Json.reader().readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
