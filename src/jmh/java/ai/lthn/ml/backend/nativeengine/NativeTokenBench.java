package ai.lthn.ml.backend.nativeengine;

import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.TokenStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JNI per-token overhead: ns from the native engine to {@code TokenStream.next()}, over the C test
 * engine (whose own per-token work is a few ns), for the two feeds: pushed (a native loop on its
 * own thread, a callback and a queue per token) and pulled (the consumer steps the engine, 64
 * tokens per JNI call at most, or one per call as a real engine returns them). Run with
 * {@code -Dlthn.native.library=target/test-classes/native/linux-x86_64/liblthn_test.so}
 * (the jvm flag goes through {@code -jvmArgsAppend}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NativeTokenBench {
    static final int TOKENS = 10_000;

    NativeTextModel model;
    NativeTextModel pulled;
    NativeTextModel pulledOne;
    GenerateConfig config = GenerateConfig.builder().maxTokens(TOKENS).build();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String why = NativeLibrary.load("lthn_test");
        if (why != null) throw new IllegalStateException(why);
        Path spec = Files.createTempFile("bench-model", ".txt");
        Files.writeString(spec, "tokens=" + TOKENS);
        model = NativeTextModel.load(spec, 0, 0, NativeTextModel.Feed.PUSH, NativeTextModel.BATCH);
        pulled = NativeTextModel.load(spec, 0, 0, NativeTextModel.Feed.PULL, NativeTextModel.BATCH);
        pulledOne = NativeTextModel.load(spec, 0, 0, NativeTextModel.Feed.PULL, 1);
        Files.delete(spec);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        pulled.close();
        pulledOne.close();
    }

    /** One generation of TOKENS tokens, callback-fed through the bounded queue. */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public void callbackToNext(Blackhole bh) {
        try (TokenStream s = model.generate("bench", config)) {
            while (s.hasNext()) bh.consume(s.next());
        }
    }

    /** One generation of TOKENS tokens, pulled by the consumer in steps of up to 64 tokens. */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public void pullToNext(Blackhole bh) {
        try (TokenStream s = pulled.generate("bench", config)) {
            while (s.hasNext()) bh.consume(s.next());
        }
    }

    /** As {@link #pullToNext} with one token per JNI step (what a real engine's step returns). */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public void pullOnePerStepToNext(Blackhole bh) {
        try (TokenStream s = pulledOne.generate("bench", config)) {
            while (s.hasNext()) bh.consume(s.next());
        }
    }
}
