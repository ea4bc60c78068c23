package ai.lthn.ml.score;

import ai.lthn.ml.internal.GoUtf8;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding {@code ml score}'s input lines: data binding (the path before issue 18), Jackson's
 * streaming parser ({@link ResponseDecoder}, the fast path of the first round) and {@link
 * LineDecoder} (the fast path now), on go-ml's public golden corpus with each response repeated to at least
 * 1,000 bytes (the shape of issue 18's 406 MB corpus: ~2 KB lines). The streaming decoder needs the
 * reader's UTF-8 check first, so it is counted with it; LineDecoder checks UTF-8 as it goes.
 *
 * <pre>mvn -Pbench -DskipTests package && java -Dgolden=../shared/golden/public_corpus.jsonl \
 *     -jar target/benchmarks.jar ResponseDecodeBench -f 1 -wi 3 -i 5 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ResponseDecodeBench {
    private static final int LINES = 60;

    byte[][] lines;

    @Setup
    public void setUp() throws IOException {
        List<byte[]> out = JsonReadersBench.paddedGolden();
        lines = out.subList(0, LINES).toArray(new byte[0][]);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void dataBinding(Blackhole bh) {
        for (byte[] line : lines) bh.consume(ResponseReader.bind(line, 0, line.length, "bench", 1));
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void streaming(Blackhole bh) {
        for (byte[] line : lines) {
            if (GoUtf8.isValid(line, 0, line.length)) bh.consume(ResponseDecoder.decode(line, 0, line.length));
        }
    }

    /** {@link LineDecoder} giving the whole {@link Response} (every string made). */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void lineDecoderResponse(Blackhole bh) {
        LineDecoder d = decoder;
        for (byte[] line : lines) {
            if (d.decode(line, 0, line.length)) bh.consume(d.response());
        }
    }

    /** {@link LineDecoder} as {@code ml score --suites heuristic} uses it: id and model strings, the response's bytes. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void lineDecoderScorePath(Blackhole bh) {
        LineDecoder d = decoder;
        for (byte[] line : lines) {
            if (d.decode(line, 0, line.length)) {
                bh.consume(d.string(LineDecoder.ID));
                bh.consume(d.string(LineDecoder.MODEL));
                d.utf8(LineDecoder.RESPONSE);
                bh.consume(d.bytesTo());
            }
        }
    }

    private final LineDecoder decoder = new LineDecoder();
}
