package ai.lthn.ml.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.StreamingBackend;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.testing.ManualTime;
import ai.lthn.ml.testing.ScriptedTextModel;
import ai.lthn.ml.testing.ScriptedTextModel.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** go-ml's adapter_test.go and backend_mlx_test.go cases, plus cancellation, timeouts and concurrency. */
@SuppressWarnings("deprecation") // StreamingBackend is deprecated but still part of the contract
class InferenceAdapterTest {

    @Test
    void generateConcatenatesTokens() {
        var adapter = InferenceAdapter.builder(ScriptedTextModel.of("Hello", " ", "world"))
                .name("test")
                .build();
        assertThat(adapter.generate("hi", GenOpts.defaults())).isEqualTo("Hello world");
    }

    @Test
    void generateWithNoTokensReturnsEmpty() {
        var adapter =
                InferenceAdapter.builder(ScriptedTextModel.of()).name("test").build();
        assertThat(adapter.generate("hi", GenOpts.defaults())).isEmpty();
    }

    @Test
    void modelErrorCarriesPartialText() {
        var model = ScriptedTextModel.builder()
                .tokens("partial", " more")
                .failAfter(1, new IllegalStateException("out of memory"))
                .build();
        var adapter = InferenceAdapter.builder(model).name("test").build();
        assertThatThrownBy(() -> adapter.generate("hi", GenOpts.defaults()))
                .isInstanceOf(StreamFailedException.class)
                .hasMessageContaining("out of memory")
                .satisfies(e -> assertThat(((MlException) e).partialText()).isEqualTo("partial"))
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void failureBeforeAnyTokenKeepsItsType() {
        var model = ScriptedTextModel.builder()
                .tokens("x")
                .failAfter(0, new ai.lthn.ml.BackendUnavailableException("gone"))
                .build();
        assertThatThrownBy(
                        () -> InferenceAdapter.builder(model).name("t").build().generate("p", GenOpts.defaults()))
                .isInstanceOf(ai.lthn.ml.BackendUnavailableException.class)
                .hasMessage("gone");
    }

    @Test
    void generateStreamDeliversEachToken() {
        var adapter = InferenceAdapter.builder(ScriptedTextModel.of("one", "two", "three"))
                .name("test")
                .build();
        List<String> seen = new ArrayList<>();
        adapter.generateStream("hi", GenOpts.defaults(), seen::add);
        assertThat(seen).containsExactly("one", "two", "three");
    }

    @Test
    void callbackErrorStopsAtOnceAndIsRethrownUnchanged() {
        var model = ScriptedTextModel.of("a", "b", "c", "d");
        var adapter = InferenceAdapter.builder(model).name("test").build();
        RuntimeException stop = new IllegalStateException("stop");
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> adapter.generateStream("hi", GenOpts.defaults(), t -> {
                    seen.add(t);
                    if (seen.size() == 2) throw stop;
                }))
                .isSameAs(stop);
        assertThat(seen).hasSize(2);
        assertThat(model.streamsClosed()).isEqualTo(1);
    }

    @Test
    void callbackThrowingMlExceptionIsAlsoRethrownUnchanged() {
        var adapter = InferenceAdapter.builder(ScriptedTextModel.of("a", "b"))
                .name("test")
                .build();
        MlException stop = new MlException("client went away");
        assertThatThrownBy(() -> adapter.generateStream("hi", GenOpts.defaults(), t -> {
                    throw stop;
                }))
                .isSameAs(stop);
    }

    @Test
    void modelCancellationSurfacesAsCancellation() {
        var model = ScriptedTextModel.builder()
                .tokens("a")
                .failAfter(0, new GenerationCancelledException("context canceled"))
                .build();
        assertThatThrownBy(
                        () -> InferenceAdapter.builder(model).name("t").build().generate("p", GenOpts.defaults()))
                .isInstanceOf(GenerationCancelledException.class);
    }

    @Test
    void chatConcatenatesTokensAndPassesTheHistory() {
        var model = ScriptedTextModel.of("Hi", " there");
        var adapter = InferenceAdapter.builder(model).name("test").build();
        List<Message> history = List.of(Message.system("be brief"), Message.user("hello"), Message.assistant("hey"));
        assertThat(adapter.chat(history, GenOpts.defaults())).isEqualTo("Hi there");
        assertThat(model.calls().get(0).messages()).isEqualTo(history);
        assertThat(model.calls().get(0).kind()).isEqualTo(ScriptedTextModel.Kind.CHAT);
    }

    @Test
    void chatStreamDeliversEachToken() {
        var adapter = InferenceAdapter.builder(ScriptedTextModel.of("reply", "!"))
                .name("test")
                .build();
        List<String> seen = new ArrayList<>();
        adapter.chatStream(List.of(Message.user("x")), GenOpts.defaults(), seen::add);
        assertThat(seen).containsExactly("reply", "!");
    }

    @Test
    void optionsReachTheModel() {
        var model = ScriptedTextModel.of("x");
        InferenceAdapter.builder(model)
                .name("t")
                .build()
                .generate("p", GenOpts.builder().temperature(0.8).maxTokens(100).build());
        GenerateConfig config = model.calls().get(0).config();
        assertThat(config.temperature()).isEqualTo(0.8f);
        assertThat(config.maxTokens()).isEqualTo(100);
    }

    @Test
    void nameAndAvailability() {
        var adapter =
                InferenceAdapter.builder(ScriptedTextModel.of()).name("mlx").build();
        assertThat(adapter.name()).isEqualTo("mlx");
        assertThat(adapter.isAvailable()).isTrue();
        assertThat(adapter).isInstanceOf(Backend.class).isInstanceOf(StreamingBackend.class);
    }

    @Test
    void closeDelegatesToTheModel() {
        var model = ScriptedTextModel.of();
        InferenceAdapter.builder(model).name("t").build().close();
        assertThat(model.isClosed()).isTrue();
    }

    @Test
    void modelIsReachable() {
        var model = ScriptedTextModel.builder().modelType("qwen3").build();
        assertThat(InferenceAdapter.builder(model).name("t").build().model().modelType())
                .isEqualTo("qwen3");
    }

    @Test
    void slowModelIsBoundedByTheTimeoutAndKeepsPartialText() {
        var model = ScriptedTextModel.builder()
                .tokens("a", "b", "c", "d", "e", "f")
                .tokenDelay(Duration.ofMillis(150))
                .build();
        var adapter = InferenceAdapter.builder(model)
                .name("slow")
                .timeout(Duration.ofMillis(400))
                .build();
        assertThatThrownBy(() -> adapter.generate("p", GenOpts.defaults()))
                .isInstanceOfSatisfying(MlTimeoutException.class, e -> {
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(400));
                    assertThat(e.partialText()).isNotEmpty().isSubstringOf("abcdef");
                    assertThat(e.partialText()).isNotEqualTo("abcdef");
                });
        assertThat(model.streamsClosed()).isEqualTo(1);
    }

    @Test
    void theTimeoutFiresOnTheInjectedSchedulerNotTheWallClock() throws Exception {
        var model = ScriptedTextModel.builder()
                .tokens("a", "b")
                .tokenDelay(Duration.ofHours(1)) // real time: only the deadline ends this call
                .build();
        ManualTime time = new ManualTime();
        var adapter = InferenceAdapter.builder(model)
                .timeout(Duration.ofSeconds(5))
                .scheduler(time)
                .build();
        var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> adapter.generate("p", GenOpts.defaults()));
        assertThat(time.awaitPending(1, Duration.ofSeconds(30))).isTrue();
        assertThat(time.pendingDelays()).containsExactly(Duration.ofSeconds(5));
        time.advance(Duration.ofSeconds(4));
        assertThat(call).isNotDone();
        time.advance(Duration.ofSeconds(1));
        assertThat(call)
                .failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        MlTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(5)));
        assertThat(model.streamsClosed()).isEqualTo(1);
    }

    @Test
    void interruptCancelsGenerationAndRestoresTheFlag() throws Exception {
        var model = ScriptedTextModel.builder()
                .tokens("a", "b", "c")
                .tokenDelay(Duration.ofSeconds(30))
                .build();
        var adapter = InferenceAdapter.builder(model).name("t").build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                adapter.generate("p", GenOpts.defaults());
            } catch (Throwable t) {
                failure.set(t);
                flagAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        worker.start();
        assertThat(awaitOpened(model, 1)).isTrue();
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(worker.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(GenerationCancelledException.class);
        assertThat(flagAfter.get()).isTrue();
        assertThat(model.streamsClosed()).isEqualTo(1);
    }

    @Test
    void closingTheModelCancelsAnOpenGeneration() throws Exception {
        var model = ScriptedTextModel.builder()
                .tokens("a", "b")
                .tokenDelay(Duration.ofSeconds(30))
                .build();
        var adapter = InferenceAdapter.builder(model).name("t").build();
        CompletableFuture<String> result =
                CompletableFuture.supplyAsync(() -> adapter.generate("p", GenOpts.defaults()));
        assertThat(awaitOpened(model, 1)).isTrue();
        adapter.close();
        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GenerationCancelledException.class);
    }

    @Test
    void sixteenThreadsOnOneModelHaveIndependentOutcomes() throws Exception {
        var model = ScriptedTextModel.builder()
                .script(call -> {
                    int n = Integer.parseInt(call.prompt());
                    Script s = Script.of("t" + n + "-a", "t" + n + "-b", "t" + n + "-c")
                            .withTokenDelay(Duration.ofMillis(2));
                    return n % 4 == 3 ? s.failingAfter(2, new IllegalStateException("boom " + n)) : s;
                })
                .build();
        var adapter = InferenceAdapter.builder(model).name("t").build();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String prompt = Integer.toString(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return adapter.generate(prompt, GenOpts.defaults());
                }));
            }
            start.countDown();
            for (int i = 0; i < 16; i++) {
                int n = i;
                if (n % 4 == 3) {
                    assertThatThrownBy(() -> futures.get(n).get(30, TimeUnit.SECONDS))
                            .cause()
                            .isInstanceOf(StreamFailedException.class)
                            .hasMessage("boom " + n)
                            .satisfies(e ->
                                    assertThat(((MlException) e).partialText()).isEqualTo("t" + n + "-at" + n + "-b"));
                } else {
                    assertThat(futures.get(n).get(30, TimeUnit.SECONDS))
                            .isEqualTo("t" + n + "-at" + n + "-bt" + n + "-c");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(model.streamsClosed()).isEqualTo(16);
    }

    private static boolean awaitOpened(ScriptedTextModel model, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (model.streamsOpened() < n) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    void stopStringsCutTheTextAndCancelTheModel() throws InterruptedException {
        ai.lthn.ml.testing.ScriptedTextModel model =
                ai.lthn.ml.testing.ScriptedTextModel.of("Hel", "lo wo", "rld", " and ", "more");
        InferenceAdapter a = InferenceAdapter.builder(model).build();
        ai.lthn.ml.GenOpts stopAtWorld =
                ai.lthn.ml.GenOpts.builder().stop("wor", "zzz").build();
        assertThat(a.generate("p", stopAtWorld)).isEqualTo("Hello ");
        java.util.List<String> seen = new java.util.ArrayList<>();
        a.generateStream("p", ai.lthn.ml.GenOpts.builder().stop("rld and").build(), seen::add);
        // the stop spans three tokens: text that could begin it is held back, so no part of it
        // reaches the callback either
        assertThat(String.join("", seen)).isEqualTo("Hello wo");
        assertThat(a.generate("p", ai.lthn.ml.GenOpts.builder().stop("rld and").build()))
                .isEqualTo("Hello wo");
        assertThat(a.generate("p", ai.lthn.ml.GenOpts.builder().stop("absent").build()))
                .isEqualTo("Hello world and more");
        assertThat(model.awaitStreamsClosed(4, java.time.Duration.ofSeconds(10)))
                .isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ai.lthn.ml.GenOpts.builder().stop("").build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
