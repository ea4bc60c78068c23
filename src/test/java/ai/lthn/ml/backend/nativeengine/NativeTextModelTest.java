package ai.lthn.ml.backend.nativeengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.StreamFailedException;
import ai.lthn.ml.backend.nativeengine.NativeTextModel.Feed;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real JNI path on Linux: the shim over the deterministic C test engine, extracted from the class
 * path; every guarantee is proven for both token feeds (pulled, the default, and pushed).
 */
class NativeTextModelTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @BeforeAll
    static void loadLibrary() {
        String why = NativeLibrary.load("lthn_test");
        if (why != null && !Files.isExecutable(Path.of("/usr/bin/gcc")))
            Assumptions.abort("native test engine not built (" + why + "): install the Debian package gcc");
        assertThat(why).as("native library").isNull();
        assertThat(NativeLibrary.loadedFrom()).contains("lthn-ml-native-").endsWith("-liblthn_test.so");
    }

    private NativeTextModel model(String spec, Feed feed) throws Exception {
        Path p = Files.writeString(Files.createTempFile(dir, "model", ".txt"), spec);
        return NativeTextModel.load(
                p,
                NativeTextModel.DEFAULT_CACHE_LIMIT,
                NativeTextModel.DEFAULT_MEMORY_LIMIT,
                feed,
                NativeTextModel.BATCH);
    }

    private static String text(TokenStream s) {
        StringBuilder sb = new StringBuilder();
        try (s) {
            s.forEachRemaining(t -> sb.append(t.text()));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void streamsAReproducibleSequenceWithMetrics(Feed feed) throws Exception {
        long before = NativeTextModel.liveNativeObjects();
        try (NativeTextModel m = model("tokens=16", feed)) {
            assertThat(m.modelType()).isEqualTo("lthn-test");
            assertThat(m.info().numLayers()).isEqualTo(2);
            List<Token> tokens = new ArrayList<>();
            String first;
            try (TokenStream s = m.generate("hello native world", GenerateConfig.defaults())) {
                s.forEachRemaining(tokens::add);
                assertThat(s.metrics().promptTokens()).isEqualTo(3);
                assertThat(s.metrics().generatedTokens()).isEqualTo(16);
            }
            first = tokens.stream().map(Token::text).reduce("", String::concat);
            assertThat(tokens).hasSize(16);
            assertThat(text(m.generate("hello native world", GenerateConfig.defaults())))
                    .isEqualTo(first);
            assertThat(text(m.generate("another prompt", GenerateConfig.defaults())))
                    .isNotEqualTo(first);
            assertThat(text(m.generate(
                                    "x", GenerateConfig.builder().maxTokens(4).build()))
                            .split(" "))
                    .hasSize(4);
        }
        assertThat(NativeTextModel.liveNativeObjects()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void aNativeErrorAfterNTokensFailsTheStreamWithThePartialText(Feed feed) throws Exception {
        try (NativeTextModel m = model("fail_after=5", feed)) {
            String full =
                    text(m.generate("p", GenerateConfig.builder().maxTokens(5).build()));
            TokenStream s = m.generate("p", GenerateConfig.defaults());
            assertThatThrownBy(() -> text(s))
                    .isInstanceOf(StreamFailedException.class)
                    .hasMessageContaining("injected failure after 5 tokens")
                    .extracting(e -> ((StreamFailedException) e).partialText())
                    .isEqualTo(full);
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void closingAStalledStreamStopsTheNativeLoop(Feed feed) throws Exception {
        long before = NativeTextModel.liveNativeObjects();
        NativeTextModel m = model("stall_after=3", feed);
        assertTimeoutPreemptively(BOUND, () -> {
            TokenStream s = m.generate("p", GenerateConfig.defaults());
            for (int i = 0; i < 3; i++) s.next();
            s.close();
            assertThatThrownBy(s::hasNext).isInstanceOf(GenerationCancelledException.class);
            m.close(); // waits for the native loop: returns only once it saw the flag
        });
        assertThat(NativeTextModel.liveNativeObjects()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void closingTheModelDuringAGenerationCancelsItAndFreesOnceFromTwoThreads(Feed feed) throws Exception {
        long before = NativeTextModel.liveNativeObjects();
        NativeTextModel m = model("stall_after=2", feed);
        assertTimeoutPreemptively(BOUND, () -> {
            TokenStream s = m.generate("p", GenerateConfig.defaults());
            s.next();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = pool.submit(m::close);
                Future<?> b = pool.submit(m::close);
                a.get();
                b.get();
            } finally {
                pool.shutdownNow();
            }
            assertThatThrownBy(() -> {
                        while (s.hasNext()) s.next();
                    })
                    .isInstanceOf(GenerationCancelledException.class);
            m.close();
        });
        assertThat(NativeTextModel.liveNativeObjects()).isEqualTo(before);
        assertThatThrownBy(() -> m.generate("p", GenerateConfig.defaults())).hasMessageContaining("closed");
    }

    @Test
    void aJavaCallbackThatThrowsStopsTheGenerationAndIsRethrown() throws Exception {
        try (NativeTextModel m = model("tokens=100", Feed.PUSH)) {
            long h = m.handle();
            AtomicInteger calls = new AtomicInteger();
            RuntimeException boom = new IllegalStateException("callback failed");
            ByteBuffer flag = ByteBuffer.allocateDirect(4);
            assertThatThrownBy(() -> NativeBridge.generate(
                            h,
                            "p",
                            0,
                            0,
                            0,
                            0,
                            0,
                            flag,
                            (id, t) -> {
                                if (calls.incrementAndGet() == 3) throw boom;
                                return true;
                            },
                            new long[5],
                            new String[1]))
                    .isSameAs(boom);
            assertThat(calls).hasValue(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void eightThreadsGenerateAtOnceOnOneSharedModelAndOnSeparateModels(Feed feed) throws Exception {
        long before = NativeTextModel.liveNativeObjects();
        try (NativeTextModel shared = model("tokens=200", feed)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 8; i++) expected.add(text(shared.generate("prompt " + i, GenerateConfig.defaults())));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<String>>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    results.add(pool.submit(() -> {
                        go.await();
                        try (NativeTextModel own = model("tokens=200", feed)) {
                            return List.of(
                                    text(shared.generate("prompt " + n, GenerateConfig.defaults())),
                                    text(own.generate("prompt " + n, GenerateConfig.defaults())));
                        }
                    }));
                }
                go.countDown();
                for (int i = 0; i < 8; i++)
                    assertThat(results.get(i).get()).containsExactly(expected.get(i), expected.get(i));
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(NativeTextModel.liveNativeObjects()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void tenThousandGenerationsLeakNoNativeObject(Feed feed) throws Exception {
        long before = NativeTextModel.liveNativeObjects();
        try (NativeTextModel m = model("tokens=8", feed)) {
            for (int i = 0; i < 10_000; i++) {
                try (TokenStream s = m.generate("p" + i, GenerateConfig.defaults())) {
                    if (i % 2 == 0) s.forEachRemaining(t -> {});
                    else s.next(); // half of them abandoned mid-stream
                }
            }
        } // close waits for every abandoned native loop, then frees
        assertThat(NativeTextModel.liveNativeObjects()).isEqualTo(before);
    }

    @Test
    void everyBatchSizeAndBothFeedsGiveTheSameTokensAndMetrics() throws Exception {
        long before = NativeTextModel.liveNativeObjects();
        List<List<String>> runs = new ArrayList<>();
        List<Integer> generated = new ArrayList<>();
        Path spec = Files.writeString(Files.createTempFile(dir, "model", ".txt"), "tokens=200");
        for (int batch : new int[] {1, 7, 64, 256}) {
            for (Feed feed : Feed.values()) {
                try (NativeTextModel m = NativeTextModel.load(spec, 0, 0, feed, batch);
                        TokenStream s = m.generate("same prompt", GenerateConfig.defaults())) {
                    List<String> tokens = new ArrayList<>();
                    s.forEachRemaining(t -> tokens.add(t.id() + ":" + t.text()));
                    runs.add(tokens);
                    generated.add(s.metrics().generatedTokens());
                }
            }
        }
        assertThat(runs.get(0)).hasSize(200);
        assertThat(runs).allSatisfy(r -> assertThat(r).isEqualTo(runs.get(0)));
        assertThat(generated).containsOnly(200);
        assertThat(NativeTextModel.liveNativeObjects()).isEqualTo(before);
        assertThatThrownBy(() -> NativeTextModel.load(spec, 0, 0, Feed.PULL, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch");
    }

    @Test
    void anInterruptOfThePullingThreadCancelsBeforeTheNextToken() throws Exception {
        long before = NativeTextModel.liveNativeObjects();
        try (NativeTextModel m = model("tokens=100", Feed.PULL)) {
            TokenStream s = m.generate("p", GenerateConfig.defaults());
            String first = s.next().text();
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(s::hasNext)
                        .isInstanceOf(GenerationCancelledException.class)
                        .extracting(e -> ((GenerationCancelledException) e).partialText())
                        .isEqualTo(first);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            s.close();
        }
        assertThat(NativeTextModel.liveNativeObjects()).isEqualTo(before);
    }
}
