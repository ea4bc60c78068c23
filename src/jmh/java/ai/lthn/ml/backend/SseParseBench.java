package ai.lthn.ml.backend;

import ai.lthn.ml.internal.SseReader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
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
 * SSE parse throughput: a recorded llama.cpp-shaped stream of 100k content chunks (about 200
 * bytes each) read with {@link SseReader} and decoded with {@link ChatChunk}, as
 * {@link HttpTokenStream} does. Score = time per token; tokens/s = 1e9 / score.
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar SseParseBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SseParseBench.TOKENS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseParseBench {
    static final int TOKENS = 100_000;
    private ByteString recorded;

    @Setup
    public void record() {
        Buffer b = new Buffer();
        for (int i = 0; i < TOKENS; i++) {
            b.writeUtf8("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" tok")
                    .writeUtf8(Integer.toString(i % 1000))
                    .writeUtf8("\"}}],\"created\":1732500000,\"id\":\"chatcmpl-abc\",\"model\":\"gemma-3-1b\","
                            + "\"object\":\"chat.completion.chunk\"}\n\n");
        }
        b.writeUtf8("data: [DONE]\n\n");
        recorded = b.readByteString();
    }

    @Benchmark
    public void parse(Blackhole bh) throws IOException {
        SseReader reader = new SseReader(new Buffer().write(recorded), 1 << 20);
        for (byte[] data; (data = reader.next()) != null; ) {
            if (data.length == 6 && data[0] == '[') break;
            bh.consume(ChatChunk.decode(data).content());
        }
    }

    /** The event-stream framing alone, without JSON decoding. */
    @Benchmark
    public void framingOnly(Blackhole bh) throws IOException {
        SseReader reader = new SseReader(new Buffer().write(recorded), 1 << 20);
        for (byte[] data; (data = reader.next()) != null; ) bh.consume(data);
    }
}
