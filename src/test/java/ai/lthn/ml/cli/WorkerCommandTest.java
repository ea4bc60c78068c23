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
            Process p = new ProcessBuilder(ChildJvm.command(
                            Main.class,
                            "worker",
                            "--api",
                            server.url("/").toString(),
                            "--infer",
                            model.url("/").toString(),
                            "--id",
                            "w-test",
                            "--key",
                            "k",
                            "--poll",
                            "1"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("worker.log").toFile())
                    .start();
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
}
