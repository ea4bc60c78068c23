package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {
    private static List<String> events(String stream) throws IOException {
        SseReader r = new SseReader(new Buffer().writeUtf8(stream), 1024);
        List<String> out = new ArrayList<>();
        for (byte[] d; (d = r.next()) != null; ) out.add(new String(d, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void dataLinesAreJoinedAndBlankLinesEndEvents() throws IOException {
        assertThat(events("data: a\ndata: b\n\ndata:c\n\n")).containsExactly("a\nb", "c");
    }

    @Test
    void onlyOneLeadingSpaceIsDropped() throws IOException {
        assertThat(events("data:  two\n\n")).containsExactly(" two");
    }

    @Test
    void commentsIdsRetriesAndEmptyEventsAreSkipped() throws IOException {
        assertThat(events(": keep-alive\n:\nid: 7\nretry: 100\n\n\n\ndata: x\n\n"))
                .containsExactly("x");
    }

    @Test
    void crlfLineEndsWork() throws IOException {
        assertThat(events("data: a\r\n\r\ndata: b\r\n\r\n")).containsExactly("a", "b");
    }

    @Test
    void eventNamesAreReported() throws IOException {
        SseReader r = new SseReader(new Buffer().writeUtf8("event: error\ndata: boom\n\ndata: ok\n\n"), 1024);
        assertThat(new String(r.next(), StandardCharsets.UTF_8)).isEqualTo("boom");
        assertThat(r.eventName()).isEqualTo("error");
        assertThat(new String(r.next(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(r.eventName()).isEmpty();
    }

    @Test
    void anEventWithoutItsBlankLineAtTheEndIsDropped() throws IOException {
        assertThat(events("data: a\n\ndata: cut")).containsExactly("a");
        assertThat(events("data: a\n\ndata: cut\n")).containsExactly("a");
    }

    @Test
    void multiByteTextSurvivesSegmentBoundaries() throws IOException {
        String word = "é日本🙂".repeat(3000);
        SseReader r = new SseReader(new Buffer().writeUtf8("data: " + word + "\n\n"), 1 << 20);
        assertThat(new String(r.next(), StandardCharsets.UTF_8)).isEqualTo(word);
        assertThat(r.next()).isNull();
    }

    @Test
    void aLineOverTheBoundFails() {
        assertThatThrownBy(() -> events("data: " + "x".repeat(2000) + "\n\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("longer than 1024 bytes");
    }

    @Test
    void anEventOverTheBoundFails() {
        assertThatThrownBy(() -> events(("data: " + "x".repeat(600) + "\n").repeat(2) + "\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("larger than 1024 bytes");
    }

    @Test
    void rejectsATinyBound() {
        assertThatThrownBy(() -> new SseReader(new Buffer(), 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
