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
 * JNI per-token overhead: ns from the native callback to {@code TokenStream.next()}, over the C
 * test engine (whose own per-token work is a few ns). Run with
 * {@code -Dlthn.native.library=target/test-classes/native/linux-x86_64/liblthn_test.so}
 * (the jvm flag goes through {@code -jvmArgsAppend}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NativeTokenBench {
    static final int TOKENS = 10_000;

    NativeTextModel model;
    GenerateConfig config = GenerateConfig.builder().maxTokens(TOKENS).build();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String why = NativeLibrary.load("lthn_test");
        if (why != null) throw new IllegalStateException(why);
        Path spec = Files.createTempFile("bench-model", ".txt");
        Files.writeString(spec, "tokens=" + TOKENS);
        model = NativeTextModel.load(spec, 0, 0);
        Files.delete(spec);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /** One generation of TOKENS tokens, callback-fed through the bounded queue. */
    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public void callbackToNext(Blackhole bh) {
        try (TokenStream s = model.generate("bench", config)) {
            while (s.hasNext()) bh.consume(s.next());
        }
    }
}
