package ai.lthn.ml.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.Backend;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MockServerTest;
import ai.lthn.ml.internal.HttpClients;
import ai.lthn.ml.testing.FakeBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker against a MockWebServer coordinator that keeps go-ml's protocol. */
class LemWorkerTest extends MockServerTest {
    @TempDir
    Path tmp;

    private Path results;

    @org.junit.jupiter.api.BeforeEach
    void resultsDir() {
        results = tmp.resolve("results");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the coordinator saw: "METHOD path body". */
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger registerFailures = new AtomicInteger();
    private final AtomicInteger resultFailures = new AtomicInteger();
    private volatile String tasks = "{\"tasks\":[],\"count\":0}";

    private void coordinator() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getUrl().encodedPath();
                String body = r.getBody() == null ? "" : r.getBody().utf8();
                seen.add(r.getMethod() + " " + path
                        + (r.getUrl().query() == null ? "" : "?" + r.getUrl().query()) + " " + body);
                if (path.equals("/api/lem/workers/register") && registerFailures.getAndDecrement() > 0)
                    return new MockResponse.Builder().code(500).body("not yet").build();
                if (path.equals("/api/lem/tasks/next")) {
                    String t = tasks;
                    tasks = "{\"tasks\":[],\"count\":0}"; // one batch, then nothing
                    return new MockResponse.Builder().body(t).build();
                }
                if (path.endsWith("/result") && resultFailures.getAndDecrement() > 0)
                    return new MockResponse.Builder()
                            .code(503)
                            .body("coordinator restarting")
                            .build();
                return new MockResponse.Builder().body("{\"ok\":true}").build();
            }
        });
    }

    private LemWorker.Config config(boolean oneShot, boolean dryRun, int concurrency) {
        return config(oneShot, dryRun, concurrency, null);
    }

    private LemWorker.Config config(boolean oneShot, boolean dryRun, int concurrency, Path resultsDir) {
        return new LemWorker.Config(
                server.url("/").toString(),
                "w-1",
                "box",
                "sekret",
                "rtx",
                24,
                List.of("en", "fr"),
                List.of("gemma3"),
                "",
                5,
                Duration.ofMillis(50),
                oneShot,
                dryRun,
                concurrency,
                resultsDir);
    }

    private static String task(int id, String prompt) {
        return "{\"id\":" + id
                + ",\"task_type\":\"gen\",\"status\":\"pending\",\"model_name\":\"gemma3\",\"prompt_id\":\"p" + id
                + "\",\"prompt_text\":\"" + prompt
                + "\",\"config\":{\"temperature\":0.3,\"max_tokens\":99},\"priority\":1}";
    }

    private LemWorker worker(LemWorker.Config c, Function<String, Backend> backends, List<String> log) {
        LemWorker w = new LemWorker(c, backends, log::add, HttpClients.shared());
        w.registerBackoff = Duration.ofMillis(10);
        return w;
    }

    private List<String> matching(String prefix) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.startsWith(prefix)).toList();
        }
    }

    @Test
    void oneShotSpeaksGoMlsProtocol() throws Exception {
        coordinator();
        registerFailures.set(2); // go-ml exited here; this worker waits and tries again
        tasks = "{\"tasks\":[" + task(7, "Tell me about tea") + "," + task(8, "And coffee") + "],\"count\":2}";
        FakeBackend model = FakeBackend.answering(p -> "A long enough answer about " + p);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        LemWorker.Summary s = worker(config(true, false, 2), name -> model, log).run();
        assertThat(s).isEqualTo(new LemWorker.Summary(1, 2, 0, 0));

        assertThat(matching("POST /api/lem/workers/register")).hasSize(3);
        JsonNode reg =
                JSON.readTree(matching("POST /api/lem/workers/register").get(0).split(" ", 3)[2]);
        assertThat(reg.path("worker_id").asText()).isEqualTo("w-1");
        assertThat(reg.path("version").asText()).isEqualTo("0.1.0");
        assertThat(reg.path("gpu_type").asText()).isEqualTo("rtx");
        assertThat(reg.path("vram_gb").asInt()).isEqualTo(24);
        assertThat(reg.path("languages").toString()).isEqualTo("[\"en\",\"fr\"]");
        assertThat(reg.path("supported_models").toString()).isEqualTo("[\"gemma3\"]");
        assertThat(matching("GET /api/lem/tasks/next"))
                .containsExactly("GET /api/lem/tasks/next?worker_id=w-1&limit=5 ");
        assertThat(matching("POST /api/lem/tasks/7/claim"))
                .containsExactly("POST /api/lem/tasks/7/claim {\"worker_id\":\"w-1\"}");
        assertThat(matching("PATCH /api/lem/tasks/7/status"))
                .containsExactly("PATCH /api/lem/tasks/7/status {\"worker_id\":\"w-1\",\"status\":\"in_progress\"}");
        JsonNode result =
                JSON.readTree(matching("POST /api/lem/tasks/8/result").get(0).split(" ", 3)[2]);
        assertThat(result.path("model_used").asText()).isEqualTo("gemma3");
        assertThat(result.path("response_text").asText()).isEqualTo("A long enough answer about And coffee");
        assertThat(result.path("worker_id").asText()).isEqualTo("w-1");
        assertThat(result.path("gen_time_ms").isIntegralNumber()).isTrue();
        assertThat(model.calls()).allSatisfy(c -> {
            assertThat(c.opts().temperature()).isEqualTo(0.3);
            assertThat(c.opts().maxTokens()).isEqualTo(99);
        });
        assertThat(matching("DELETE")).isEmpty();
        RecordedRequest any = server.takeRequest();
        assertThat(any.getHeaders().get("Authorization")).isEqualTo("Bearer sekret");
        assertThat(String.join("\n", log)).doesNotContain("sekret");
    }

    @Test
    void aResultTheCoordinatorCannotTakeWaitsInTheResultsDirectoryForTheNextStart() throws Exception {
        coordinator();
        resultFailures.set(Integer.MAX_VALUE); // the coordinator cannot take results during this run
        tasks = "{\"tasks\":[" + task(7, "Tell me about tea") + "],\"count\":1}";
        FakeBackend model = FakeBackend.answering(p -> "A long enough answer about " + p);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        LemWorker.Summary first =
                worker(config(true, false, 1, results), n -> model, log).run();
        assertThat(first.completed()).isZero();
        assertThat(first.released()).isZero(); // the claim is kept with the result
        assertThat(matching("DELETE")).isEmpty();
        assertThat(results.resolve("task-7.json")).exists();
        assertThat(String.join("\n", log)).contains("result kept in " + results);

        seen.clear();
        resultFailures.set(0);
        FakeBackend idle = FakeBackend.replying("never used");
        LemWorker.Summary second =
                worker(config(true, false, 1, results), n -> idle, log).run();
        assertThat(second.completed()).isEqualTo(1);
        assertThat(idle.calls()).isEmpty();
        List<String> order;
        synchronized (seen) {
            order = seen.stream().map(l -> l.split(" ", 3)[1].split("\\?")[0]).toList();
        }
        assertThat(order)
                .containsSubsequence("/api/lem/workers/register", "/api/lem/tasks/7/result", "/api/lem/tasks/next");
        JsonNode result =
                JSON.readTree(matching("POST /api/lem/tasks/7/result").get(0).split(" ", 3)[2]);
        assertThat(result.path("response_text").asText()).isEqualTo("A long enough answer about Tell me about tea");
        assertThat(result.path("worker_id").asText()).isEqualTo("w-1");
        try (var left = Files.list(results)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anUnreadableKeptResultIsSetAsideNotDeletedAndTheRestAreSent() throws Exception {
        coordinator();
        Files.createDirectories(results);
        Files.writeString(results.resolve("task-3.json"), "{\"task\":{\"id\":3,\"model_name\":\"m\"},\"res");
        Files.writeString(
                results.resolve("task-4.json"),
                "{\"task\":{\"id\":5},\"result\":{\"response_text\":\"misfiled under another id\"}}");
        Files.writeString(
                results.resolve("task-9.json"),
                "{\"task\":{\"id\":9,\"model_name\":\"m\",\"prompt_text\":\"p\"},"
                        + "\"result\":{\"response_text\":\"kept text\",\"worker_id\":\"w-1\"}}");
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        LemWorker.Summary s = worker(config(true, false, 1, results), n -> FakeBackend.replying("x"), log)
                .run();
        assertThat(s.completed()).isEqualTo(1);
        assertThat(matching("POST /api/lem/tasks/9/result"))
                .singleElement()
                .asString()
                .contains("kept text");
        assertThat(matching("POST /api/lem/tasks/3/result")).isEmpty();
        assertThat(matching("POST /api/lem/tasks/5/result")).isEmpty();
        assertThat(results.resolve("task-3.json.bad")).exists();
        assertThat(results.resolve("task-4.json.bad")).exists();
        assertThat(results.resolve("task-9.json")).doesNotExist();
        assertThat(String.join("\n", log)).contains("task-3.json is unreadable");
    }

    @Test
    void aFailedOrTooShortGenerationIsAbandonedAndReleased() {
        coordinator();
        tasks = "{\"tasks\":[" + task(1, "boom") + "," + task(2, "short") + "],\"count\":2}";
        FakeBackend model = FakeBackend.answering(p -> {
            if (p.equals("boom")) throw new MlIOException("upstream down", (java.io.IOException) null);
            return "tiny";
        });
        LemWorker.Summary s =
                worker(config(true, false, 1), n -> model, new ArrayList<>()).run();
        assertThat(s.failed()).isEqualTo(2);
        assertThat(s.released()).isEqualTo(2);
        for (int id : new int[] {1, 2}) {
            assertThat(matching("PATCH /api/lem/tasks/" + id + "/status"))
                    .extracting(l -> l.contains("abandoned"))
                    .containsExactly(false, true);
            assertThat(matching("DELETE /api/lem/tasks/" + id + "/claim")).hasSize(1);
            assertThat(matching("POST /api/lem/tasks/" + id + "/result")).isEmpty();
        }
    }

    @Test
    void aResultTheCoordinatorCannotTakeIsKeptAndDeliveredOnceItIsBack() throws Exception {
        coordinator();
        resultFailures.set(4); // the coordinator restarts while the task is generated
        tasks = "{\"tasks\":[" + task(5, "kept") + "],\"count\":1}";
        FakeBackend model = FakeBackend.answering(p -> "The answer that must not be lost");
        LemWorker w = worker(config(false, false, 1), n -> model, new ArrayList<>());
        CompletableFuture<LemWorker.Summary> run = CompletableFuture.supplyAsync(w::run);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (matching("POST /api/lem/tasks/5/result").size() < 5 && System.nanoTime() < deadline) Thread.sleep(10);
        w.stop();
        LemWorker.Summary s = run.get(20, TimeUnit.SECONDS);
        assertThat(matching("POST /api/lem/tasks/5/result")).hasSize(5); // 4 refused, the fifth taken
        assertThat(s.completed()).isEqualTo(1);
        assertThat(model.calls()).hasSize(1); // generated once
        assertThat(matching("DELETE")).isEmpty();
    }

    @Test
    void aDryRunClaimsNothingAndTrustsCount() {
        coordinator();
        tasks = "{\"tasks\":[" + task(3, "just looking") + "],\"count\":1}";
        List<String> log = new ArrayList<>();
        worker(config(true, true, 1), n -> FakeBackend.replying("never"), log).run();
        assertThat(matching("POST /api/lem/tasks")).isEmpty();
        assertThat(log).contains("[DRY-RUN] Would generate response for: just looking");

        tasks = "{\"tasks\":[" + task(4, "ignored") + "],\"count\":0}";
        seen.clear();
        worker(config(true, false, 1), n -> FakeBackend.replying("never"), new ArrayList<>())
                .run();
        assertThat(matching("POST /api/lem/tasks")).isEmpty(); // go-ml trusts count
    }

    @Test
    void stopReleasesTheClaimOfATaskBeingGenerated() throws Exception {
        coordinator();
        tasks = "{\"tasks\":[" + task(9, "slow") + "],\"count\":1}";
        CountDownLatch generating = new CountDownLatch(1);
        Backend slow = FakeBackend.answering(p -> {
            generating.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ai.lthn.ml.GenerationCancelledException("interrupted", "", e);
            }
            return "never";
        });
        LemWorker w = worker(config(false, false, 1), n -> slow, new ArrayList<>());
        CompletableFuture<LemWorker.Summary> run = CompletableFuture.supplyAsync(w::run);
        assertThat(generating.await(20, TimeUnit.SECONDS)).isTrue();
        w.stop(); // SIGTERM in the CLI
        LemWorker.Summary s = run.get(20, TimeUnit.SECONDS);
        assertThat(s.released()).isEqualTo(1);
        assertThat(matching("DELETE /api/lem/tasks/9/claim")).hasSize(1);
        assertThat(matching("POST /api/lem/tasks/9/result")).isEmpty();
    }

    @Test
    void truncationKeepsWholeCharacters() {
        assertThat(LemWorker.truncate("short", 80)).isEqualTo("short");
        assertThat(LemWorker.truncate("é".repeat(50), 81)).isEqualTo("é".repeat(40) + "...");
    }
}
