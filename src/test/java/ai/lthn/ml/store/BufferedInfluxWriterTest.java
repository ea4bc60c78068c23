package ai.lthn.ml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.RetryPolicy;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferedInfluxWriterTest extends MockServerTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));

    private BufferedInfluxWriter writer() {
        InfluxClient c = InfluxClient.builder(server.url("/").toString(), "db")
                .retryPolicy(RetryPolicy.none())
                .build();
        return new BufferedInfluxWriter(c, Outbox.open(dir), clock);
    }

    private static List<Point> points(int n) {
        return List.of(Point.builder("m")
                .tag("n", "" + n)
                .field("v", n)
                .timestampNanos(n)
                .build());
    }

    @Test
    void unavailableIsBufferedAndReplayedInOrder() throws Exception {
        BufferedInfluxWriter w = writer();
        server.enqueue(new MockResponse.Builder().code(503).build());
        assertThat(w.write(points(1))).isEqualTo(BufferedInfluxWriter.Result.BUFFERED);
        assertThat(w.write(points(2))).isEqualTo(BufferedInfluxWriter.Result.BUFFERED); // backing off
        assertThat(server.getRequestCount()).as("no request while backing off").isEqualTo(1);
        assertThat(w.pending()).isEqualTo(2);
        server.enqueue(new MockResponse.Builder().code(204).build());
        server.enqueue(new MockResponse.Builder().code(204).build());
        clock.advance(BufferedInfluxWriter.FIRST_BACKOFF);
        assertThat(w.replay()).isEqualTo(new Outbox.DrainResult(2, 0, 0, 0));
        server.takeRequest();
        assertThat(server.takeRequest().getBody().utf8()).isEqualTo("m,n=1 v=1i 1\n");
        assertThat(server.takeRequest().getBody().utf8()).isEqualTo("m,n=2 v=2i 2\n");
    }

    @Test
    void aMalformedWriteIsNotBufferedAndAMalformedEntryIsDeadLettered() {
        BufferedInfluxWriter w = writer();
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body("{\"error\":\"unable to parse\"}")
                .build());
        assertThatThrownBy(() -> w.write(points(1))).isInstanceOf(HttpStatusException.class);
        assertThat(w.pending()).isZero();

        server.enqueue(new MockResponse.Builder().code(503).build());
        w.write(points(2));
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body("{\"error\":\"field type conflict\"}")
                .build());
        clock.advance(BufferedInfluxWriter.FIRST_BACKOFF);
        assertThat(w.replay()).isEqualTo(new Outbox.DrainResult(0, 1, 0, 0));
    }

    @Test
    void onlyADefinitiveRejectionDeadLettersAndAFailedReplayBacksOff() throws Exception {
        InfluxClient c = InfluxClient.builder(server.url("/").toString(), "db")
                .retryPolicy(RetryPolicy.none())
                .build();
        BufferedInfluxWriter w = new BufferedInfluxWriter(c, Outbox.open(dir), clock);
        server.enqueue(new MockResponse.Builder().code(503).build());
        w.write(points(1));
        clock.advance(BufferedInfluxWriter.FIRST_BACKOFF);
        server.enqueue(new MockResponse.Builder().code(413).build());
        assertThatThrownBy(() -> w.write(points(9))).isInstanceOf(HttpStatusException.class); // too large: not buffered
        int requests = server.getRequestCount();
        for (int status : new int[] {500, 503, 401, 403, 404, 429}) {
            server.enqueue(new MockResponse.Builder().code(status).build());
            assertThat(w.replay()).as("status %d", status).isEqualTo(new Outbox.DrainResult(0, 0, 0, 1));
            assertThat(w.replay()).as("within the backoff").isEqualTo(new Outbox.DrainResult(0, 0, 0, 1));
            assertThat(server.getRequestCount()).isEqualTo(++requests); // the second replay did not call
            clock.advance(BufferedInfluxWriter.MAX_BACKOFF);
        }
        server.enqueue(new MockResponse.Builder().code(413).build());
        assertThat(w.replay()).isEqualTo(new Outbox.DrainResult(0, 1, 0, 0));
    }

    @Test
    void aPasswordInTheUrlNeverReachesTheLogOrTheError() throws Exception {
        int dead = ai.lthn.ml.Ports.freeLoopbackPort();
        InfluxClient c = InfluxClient.builder("http://admin:s3cret@127.0.0.1:" + dead, "db")
                .retryPolicy(RetryPolicy.none())
                .build();
        BufferedInfluxWriter w = new BufferedInfluxWriter(c, Outbox.open(dir));
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(w.write(points(1))).isEqualTo(BufferedInfluxWriter.Result.BUFFERED);
        } finally {
            System.setErr(saved);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log)
                .contains("influx unavailable")
                .contains("127.0.0.1:" + dead)
                .doesNotContain("s3cret");
        assertThatThrownBy(() -> c.write(points(2)))
                .hasMessageContaining("127.0.0.1:" + dead)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthNotInTheRequestLine() throws Exception {
        InfluxClient c = InfluxClient.builder(
                        server.url("/")
                                .newBuilder()
                                .username("admin")
                                .password("s3cret")
                                .build()
                                .toString(),
                        "db")
                .retryPolicy(RetryPolicy.none())
                .build();
        server.enqueue(new MockResponse.Builder().code(204).build());
        c.write(points(1));
        var req = server.takeRequest();
        assertThat(req.getHeaders().get("Authorization")).isEqualTo(okhttp3.Credentials.basic("admin", "s3cret"));
        assertThat(req.getTarget()).doesNotContain("s3cret");
        assertThatThrownBy(() -> InfluxClient.builder("http://admin:pw@influx.example:8086", "db")
                        .build())
                .hasMessageContaining("plain http");
    }
}
