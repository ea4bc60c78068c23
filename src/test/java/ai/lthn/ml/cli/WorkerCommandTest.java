package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.ChildJvm;
import ai.lthn.ml.MockServerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ml worker as a process: SIGTERM while a task is being generated gives its claim back. */
class WorkerCommandTest extends MockServerTest {
    @TempDir
    Path dir;

    /** {@code ml worker} as its own process against the coordinator and {@code model}, output to {@code log}. */
    private Process worker(MockWebServer model, Path results, String log, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "worker",
                "--api",
                server.url("/").toString(),
                "--infer",
                model.url("/").toString(),
                "--id",
                "w-test",
                "--poll",
                "1",
                "--results-dir",
                results.toString()));
        args.addAll(List.of(extra));
        return new ProcessBuilder(ChildJvm.command(Main.class, args.toArray(String[]::new)))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    @Test
    void sigtermReleasesTheClaimOfTheTaskInFlight() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch released = new CountDownLatch(1);
        server.setDispatcher(new Dispatcher() {
            private volatile boolean served;

            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getUrl().encodedPath();
                seen.add(r.getMethod() + " " + path);
                if (r.getMethod().equals("DELETE")) released.countDown();
                if (path.equals("/api/lem/tasks/next") && !served) {
                    served = true;
                    return new MockResponse.Builder()
                            .body(
                                    "{\"tasks\":[{\"id\":42,\"model_name\":\"m\",\"prompt_text\":\"think slowly\"}],\"count\":1}")
                            .build();
                }
                if (path.equals("/api/lem/tasks/next"))
                    return new MockResponse.Builder()
                            .body("{\"tasks\":[],\"count\":0}")
                            .build();
                return new MockResponse.Builder().body("{}").build();
            }
        });
        CountDownLatch generating = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (MockWebServer model = new MockWebServer()) {
            model.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                    generating.countDown();
                    finish.await(30, TimeUnit.SECONDS); // a generation far longer than the test
                    return new MockResponse.Builder().body("{}").build();
                }
            });
            model.start();
            Process p = worker(model, dir.resolve("results"), "worker.log", "--key", "k");
            try {
                assertThat(generating.await(60, TimeUnit.SECONDS))
                        .as("the task reached the model")
                        .isTrue();
                p.destroy(); // SIGTERM
                assertThat(released.await(30, TimeUnit.SECONDS))
                        .as(Files.readString(dir.resolve("worker.log")))
                        .isTrue();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
                finish.countDown();
            }
        }
        assertThat(seen)
                .contains("POST /api/lem/tasks/42/claim", "DELETE /api/lem/tasks/42/claim")
                .doesNotContain("POST /api/lem/tasks/42/result");
        assertThat(Files.readString(dir.resolve("worker.log"))).contains("claim released");
    }
    /**
     * kill -9 after the generation while the coordinator cannot take the result: the next start
     * sends the kept result (go-ml lost it; a worker without a results directory would too).
     */
    @Test
    void aResultKeptByAKilledWorkerIsDeliveredByTheNextStart() throws Exception {
        Path results = dir.resolve("results");
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean coordinatorTakesResults =
                new java.util.concurrent.atomic.AtomicBoolean();
        server.setDispatcher(new Dispatcher() {
            private volatile boolean served;

            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getUrl().encodedPath();
                if (path.equals("/api/lem/tasks/next")) {
                    String body = served
                            ? "{\"tasks\":[],\"count\":0}"
                            : "{\"tasks\":[{\"id\":42,\"model_name\":\"m\",\"prompt_text\":\"tea\"}],\"count\":1}";
                    served = true;
                    return new MockResponse.Builder().body(body).build();
                }
                if (path.equals("/api/lem/tasks/42/result")) {
                    if (!coordinatorTakesResults.get())
                        return new MockResponse.Builder()
                                .code(503)
                                .body("restarting")
                                .build();
                    delivered.add(r.getBody().utf8());
                }
                return new MockResponse.Builder().body("{}").build();
            }
        });
        try (MockWebServer model = new MockWebServer()) {
            model.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest r) {
                    return new MockResponse.Builder()
                            .setHeader("Content-Type", "application/json")
                            .body(
                                    "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Tea is a leaf, steeped.\"},"
                                            + "\"finish_reason\":\"stop\"}]}")
                            .build();
                }
            });
            model.start();
            Process first = worker(model, results, "first.log");
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(results.resolve("task-42.json")) && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(results.resolve("task-42.json"))
                        .as(Files.readString(dir.resolve("first.log")))
                        .exists();
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook runs
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(delivered).isEmpty();

            coordinatorTakesResults.set(true);
            Process second = worker(model, results, "second.log", "--one-shot");
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue())
                    .as(Files.readString(dir.resolve("second.log")))
                    .isZero();
        }
        assertThat(delivered).singleElement().asString().contains("\"response_text\":\"Tea is a leaf, steeped.\"");
        assertThat(results.resolve("task-42.json")).doesNotExist();
    }
}
