package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The record → JSON Schema mapping, against golden schemas written by hand from the documented table. */
class JsonSchemasTest {
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
    @interface Nullable {}

    enum Priority {
        LOW,
        HIGH
    }

    record Address(String street, int number) {}

    record Person(
            String name,
            long age,
            double score,
            boolean active,
            Priority priority,
            List<String> tags,
            Address home,
            Optional<String> nickname,
            @Nullable Address work,
            Set<Address> past,
            int[] lucky,
            @JsonProperty("e_mail") String email,
            BigDecimal balance) {}

    private static final String ADDRESS = "{\"type\":\"object\",\"properties\":{\"street\":{\"type\":\"string\"},"
            + "\"number\":{\"type\":\"integer\"}},\"required\":[\"street\",\"number\"],\"additionalProperties\":false}";

    @Test
    void aNestedRecordMapsToTheGoldenSchema() {
        assertThat(JsonSchemas.of(Person.class))
                .isEqualTo("{\"type\":\"object\",\"properties\":{"
                        + "\"name\":{\"type\":\"string\"},"
                        + "\"age\":{\"type\":\"integer\"},"
                        + "\"score\":{\"type\":\"number\"},"
                        + "\"active\":{\"type\":\"boolean\"},"
                        + "\"priority\":{\"type\":\"string\",\"enum\":[\"LOW\",\"HIGH\"]},"
                        + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                        + "\"home\":" + ADDRESS + ","
                        + "\"nickname\":{\"type\":\"string\"},"
                        + "\"work\":" + ADDRESS + ","
                        + "\"past\":{\"type\":\"array\",\"items\":" + ADDRESS + "},"
                        + "\"lucky\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
                        + "\"e_mail\":{\"type\":\"string\"},"
                        + "\"balance\":{\"type\":\"number\"}},"
                        + "\"required\":[\"name\",\"age\",\"score\",\"active\",\"priority\",\"tags\",\"home\","
                        + "\"past\",\"lucky\",\"e_mail\",\"balance\"],"
                        + "\"additionalProperties\":false}");
    }

    @Test
    void strictModeRequiresEveryPropertyAndMakesOptionalOnesNullable() throws Exception {
        var schema = new ObjectMapper().readTree(JsonSchemas.strict(Person.class));
        assertThat(schema.path("required")).hasSize(13);
        assertThat(schema.path("properties").path("nickname").toString()).isEqualTo("{\"type\":[\"string\",\"null\"]}");
        assertThat(schema.path("properties").path("work").toString())
                .isEqualTo("{\"anyOf\":[" + ADDRESS + ",{\"type\":\"null\"}]}");
        assertThat(schema.path("properties").path("home").toString()).isEqualTo(ADDRESS);
    }

    record Choice(Optional<Priority> level) {}

    @Test
    void aNullableEnumAdmitsNullAmongItsValues() {
        assertThat(JsonSchemas.strict(Choice.class))
                .contains("\"level\":{\"type\":[\"string\",\"null\"],\"enum\":[\"LOW\",\"HIGH\",null]}");
    }

    record WithMap(String id, Map<String, String> attributes) {}

    record Node(String label, List<Node> children) {}

    record Holder(Node root) {}

    record WithObject(Object anything) {}

    @Test
    void typesOutsideTheMappingAreRefusedWithTheComponentsPath() {
        assertThatThrownBy(() -> JsonSchemas.of(WithMap.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("WithMap.attributes: no JSON Schema mapping for java.util.Map");
        assertThatThrownBy(() -> JsonSchemas.strict(Holder.class))
                .hasMessageContaining("Holder.root.children[]: record Node contains itself");
        assertThatThrownBy(() -> JsonSchemas.of(WithObject.class))
                .hasMessageContaining("WithObject.anything: no JSON Schema mapping for java.lang.Object");
    }

    @Test
    void aReplyFollowingTheSchemaDecodesBackIntoTheRecord() throws Exception {
        assertThat(new ObjectMapper().readValue("{\"street\":\"Main\",\"number\":3}", Address.class))
                .isEqualTo(new Address("Main", 3));
    }
}
