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

    @Test
    void toolTurnsCarryTheirFieldsInJsonOnlyWhenSet() throws Exception {
        Message call = Message.assistant("", java.util.List.of(new ToolCall("c1", "f", "{}")));
        String json = mapper.writeValueAsString(call);
        assertThat(json)
                .isEqualTo("{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
                        + "[{\"id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"}]}");
        assertThat(mapper.readValue(json, Message.class)).isEqualTo(call);
        Message answer = Message.tool("c1", "42");
        assertThat(mapper.writeValueAsString(answer))
                .isEqualTo("{\"role\":\"tool\",\"content\":\"42\",\"tool_call_id\":\"c1\"}");
        assertThat(mapper.readValue(mapper.writeValueAsString(answer), Message.class))
                .isEqualTo(answer);
    }
}
