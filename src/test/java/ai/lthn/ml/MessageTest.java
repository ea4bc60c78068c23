package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MessageTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void jsonShapeIsRoleAndContent() throws Exception {
        assertThat(mapper.writeValueAsString(Message.user("hi"))).isEqualTo("{\"role\":\"user\",\"content\":\"hi\"}");
        assertThat(mapper.readValue("{\"role\":\"assistant\",\"content\":\"ok\"}", Message.class))
                .isEqualTo(Message.assistant("ok"));
    }

    @Test
    void factoriesSetTheRole() {
        assertThat(Message.system("s").role()).isEqualTo("system");
        assertThat(Message.user("u").role()).isEqualTo("user");
        assertThat(Message.assistant("a").role()).isEqualTo("assistant");
    }
}
