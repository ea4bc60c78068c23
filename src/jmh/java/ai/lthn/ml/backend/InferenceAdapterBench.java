package ai.lthn.ml.backend;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * InferenceAdapter overhead: nanoseconds per token when collecting 1M tokens from a zero-latency
 * ScriptedTextModel, (a) iterating the TokenStream directly (the floor), (b) through
 * {@code Backend.generate}, (c) through the deprecated {@code StreamingBackend} callbacks.
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar InferenceAdapterBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(InferenceAdapterBench.TOKENS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InferenceAdapterBench {
    static final int TOKENS = 1_000_000;

    private ScriptedTextModel model;
    private InferenceAdapter adapter;

    @Setup
    public void setUp() {
        List<String> tokens = new ArrayList<>(TOKENS);
        String[] words = {"the", " quick", " brown", " fox", " jumps", ",", " over", " lazy", " dogs", "."};
        for (int i = 0; i < TOKENS; i++) tokens.add(words[i % words.length]);
        model = ScriptedTextModel.builder().tokens(tokens).build();
        adapter = InferenceAdapter.builder(model).name("bench").build();
    }

    /** The floor: pulling the tokens straight from the stream. */
    @Benchmark
    public void tokenStreamDirect(Blackhole bh) {
        try (TokenStream s = model.generate("p")) {
            while (s.hasNext()) bh.consume(s.next());
        }
    }

    /** {@code Backend.generate}: drain and concatenate. */
    @Benchmark
    public String adapterGenerate() {
        return adapter.generate("p", GenOpts.defaults());
    }

    /** The deprecated callback path. */
    @Benchmark
    @SuppressWarnings("deprecation")
    public void adapterGenerateStream(Blackhole bh) {
        adapter.generateStream("p", GenOpts.defaults(), bh::consume);
    }
}
