package ai.lthn.ml.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One streamed event decoded by the string API's streaming parser ({@link ChatChunk}) next to the
 * rich API's tree decoding ({@link OpenAiWire#deltas}), on a vLLM-shaped content chunk and on
 * one carrying log probabilities, in the same run.
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar ChunkDecodeBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkDecodeBench {
    private static final byte[] CONTENT = ("{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"qwen\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"logprobs\":null,"
                    + "\"finish_reason\":null}]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] LOGPROBS = ("{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"qwen\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"logprobs\":{\"content\":"
                    + "[{\"token\":\" token\",\"logprob\":-0.25,\"bytes\":[32,116,111,107,101,110],\"top_logprobs\":["
                    + "{\"token\":\" token\",\"logprob\":-0.25},{\"token\":\" word\",\"logprob\":-1.75}]}]},"
                    + "\"finish_reason\":null}]}")
            .getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public ChatChunk stringApi() throws IOException {
        return ChatChunk.decode(CONTENT);
    }

    @Benchmark
    public void richApi(Blackhole bh) {
        bh.consume(OpenAiWire.deltas(OpenAiWire.tree(CONTENT)));
    }

    @Benchmark
    public void richApiWithLogprobs(Blackhole bh) {
        bh.consume(OpenAiWire.deltas(OpenAiWire.tree(LOGPROBS)));
    }
}
