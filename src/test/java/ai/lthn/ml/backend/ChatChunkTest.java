package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatChunkTest {
    private static ChatChunk decode(String json) throws IOException {
        return ChatChunk.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void deltaContentFinishAndUsage() throws IOException {
        ChatChunk c = decode(
                "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"hi\","
                        + "\"tool_calls\":[{\"a\":[1,2]}]},\"logprobs\":null,\"finish_reason\":\"length\"},"
                        + "{\"index\":1,\"delta\":{\"content\":\"second choice\"}}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8,\"details\":{\"x\":1}}}");
        assertThat(c.content()).isEqualTo("hi");
        assertThat(c.finishReason()).isEqualTo("length");
        assertThat(c.promptTokens()).isEqualTo(3);
        assertThat(c.completionTokens()).isEqualTo(5);
        assertThat(c.hasUsage()).isTrue();
        assertThat(c.error()).isNull();
        assertThat(c.hasChoices()).isTrue();
    }

    @Test
    void nullContentAndNullFinishAreAbsent() throws IOException {
        ChatChunk c = decode("{\"choices\":[{\"delta\":{\"content\":null},\"finish_reason\":null}]}");
        assertThat(c.content()).isNull();
        assertThat(c.finishReason()).isNull();
        assertThat(c.hasUsage()).isFalse();
    }

    @Test
    void wholeMessageAndCompletionText() throws IOException {
        assertThat(decode("{\"choices\":[{\"message\":{\"content\":\"m\"}}]}").content())
                .isEqualTo("m");
        assertThat(decode("{\"choices\":[{\"text\":\"t\"}]}").content()).isEqualTo("t");
    }

    @Test
    void errorEnvelopeAndBareErrorString() throws IOException {
        assertThat(decode("{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":400}}")
                        .error())
                .isEqualTo("bad (invalid_request_error, 400)");
        assertThat(decode("{\"error\":\"plain\"}").error()).isEqualTo("plain");
        assertThat(decode("{\"error\":{\"message\":\"only\"}}").error()).isEqualTo("only");
    }

    @Test
    void emptyChoicesHasNone() throws IOException {
        assertThat(decode("{\"choices\":[]}").hasChoices()).isFalse();
    }

    @Test
    void notAnObjectFails() {
        assertThatThrownBy(() -> decode("[1]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> decode("{\"choices\":[{\"delta\":")).isInstanceOf(IOException.class);
    }

    @Test
    void envelopeMessageFallsBackToTheBody() {
        assertThat(OpenAiTransport.errorEnvelopeMessage("  plain text \n")).isEqualTo("plain text");
        assertThat(OpenAiTransport.errorEnvelopeMessage("{\"error\":{\"message\":\"m\"}}"))
                .isEqualTo("m");
        assertThat(OpenAiTransport.errorEnvelopeMessage("{\"detail\":\"x\"}")).isEqualTo("{\"detail\":\"x\"}");
    }

    @Test
    void retryAfterSecondsAndDates() {
        assertThat(ai.lthn.ml.internal.HttpRetry.retryAfter("3")).hasSeconds(3);
        assertThat(ai.lthn.ml.internal.HttpRetry.retryAfter(null)).isNull();
        assertThat(ai.lthn.ml.internal.HttpRetry.retryAfter("soon")).isNull();
        assertThat(ai.lthn.ml.internal.HttpRetry.retryAfter("-1")).isNull();
        assertThat(ai.lthn.ml.internal.HttpRetry.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
                .isZero(); // in the past
    }
}
