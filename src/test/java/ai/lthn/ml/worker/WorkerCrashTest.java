package ai.lthn.ml.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.cli.Main;
import ai.lthn.ml.internal.HttpClients;
import ai.lthn.ml.testing.FakeBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result the coordinator could not take survives a worker killed with SIGKILL: {@code ml worker
 * --state-dir} runs as a child process against a MockWebServer coordinator that answers 503 to
 * results, is killed once its journal holds the result, and the next worker on the same state
 * directory delivers it before its first poll.
 */
class WorkerCrashTest extends MockServerTest {
    private static final String ANSWER = "the generated answer, long enough to count";

    @TempDir
    Path dir;

    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean acceptResults;
    private volatile String tasks = "{\"tasks\":[{\"id\":7,\"task_type\":\"gen\",\"status\":\"pending\","
            + "\"model_name\":\"gemma3\",\"prompt_id\":\"p7\",\"prompt_text\":\"say something\","
            + "\"config\":{\"temperature\":0.3,\"max_tokens\":99},\"priority\":1}],\"count\":1}";

    private void coordinator() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getUrl().encodedPath();
                String body = r.getBody() == null ? "" : r.getBody().utf8();
                seen.add(r.getMethod() + " " + path + " " + body);
                if (path.endsWith("/chat/completions"))
                    return new MockResponse.Builder()
                            .addHeader("Content-Type", "application/json")
                            .body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER
                                    + "\"},\"finish_reason\":\"stop\"}]}")
                            .build();
                if (path.equals("/api/lem/tasks/next")) {
                    String t = tasks;
                    tasks = "{\"tasks\":[],\"count\":0}"; // one task, then nothing
                    return new MockResponse.Builder().body(t).build();
                }
                if (path.endsWith("/result") && !acceptResults)
                    return new MockResponse.Builder()
                            .code(503)
                            .body("coordinator restarting")
                            .build();
                return new MockResponse.Builder().body("{\"ok\":true}").build();
            }
        });
    }

    @Test
    void aKeptResultSurvivesAKilledWorkerAndIsDeliveredByTheNext() throws Exception {
        coordinator();
        Path state = dir.resolve("state");
        Path journal = state.resolve("pending-results.jsonl");
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "worker",
                "--api",
                server.url("/").toString(),
                "--infer",
                server.url("/").toString(),
                "--id",
                "w-1",
                "--name",
                "box",
                "--key",
                "k",
                "--poll",
                "1",
                "--state-dir",
                state.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(journal) && Files.readString(journal).contains(ANSWER))
                    && System.nanoTime() < deadline
                    && p.isAlive()) Thread.sleep(20);
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, nothing released
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("worker.log"));
        assertThat(Files.readString(journal)).as(log).contains(ANSWER);
        synchronized (seen) {
            assertThat(seen).as(log).noneMatch(s -> s.startsWith("DELETE")); // the claim was not given back
        }

        acceptResults = true;
        int before = seen.size();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        LemWorker next = new LemWorker(
                        new LemWorker.Config(
                                server.url("/").toString(),
                                "w-1",
                                "box",
                                "k",
                                "",
                                0,
                                List.of(),
                                List.of(),
                                "",
                                5,
                                Duration.ofMillis(50),
                                true,
                                false,
                                1),
                        model -> FakeBackend.replying("not used: no new task is given"),
                        lines::add,
                        HttpClients.shared())
                .keepResultsIn(state);
        LemWorker.Summary s = next.run();

        List<String> after;
        synchronized (seen) {
            after = List.copyOf(seen.subList(before, seen.size()));
        }
        int result = indexOf(after, "POST /api/lem/tasks/7/result");
        int poll = indexOf(after, "GET /api/lem/tasks/next");
        assertThat(result).as(after.toString()).isGreaterThanOrEqualTo(0).isLessThan(poll);
        assertThat(after.get(result)).contains(ANSWER).contains("\"worker_id\":\"w-1\"");
        assertThat(s.completed()).isEqualTo(1);
        assertThat(lines).anyMatch(l -> l.contains("1 undelivered results from the last run"));
        // delivered: a third start has nothing left to send
        try (ResultJournal third = ResultJournal.open(state)) {
            assertThat(third.pending()).isEmpty();
        }
        assertThat(Files.readString(journal, StandardCharsets.UTF_8)).isEmpty();
    }

    private static int indexOf(List<String> requests, String prefix) {
        for (int i = 0; i < requests.size(); i++) if (requests.get(i).startsWith(prefix)) return i;
        return -1;
    }
}
