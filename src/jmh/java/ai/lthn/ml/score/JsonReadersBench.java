package ai.lthn.ml.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * JVM JSON readers on {@code ml score}'s input (issue 18): {@link #LINES} lines of ~2 KB each
 * decoded into id, model and response ({@link JsonReaders}). The lines are the first 20,000 of
 * {@code -Dcorpus} (default {@code /work/bench/p20k.jsonl}, made by {@code
 * src/jmh/scripts/score_corpus.py ... --pad 1000}; 42 MB, so decoding runs out of cache as in a
 * real run). When that file is absent, the bench pads go-ml's public golden corpus ({@code
 * -Dgolden}) the same way and repeats its 60 lines to 20,000 (cache-hot: faster than the file).
 * Each operation is one line; MB/s = ops/s × the mean line length printed at set-up.
 *
 * <pre>mvn -Pbench -DskipTests package &amp;&amp; java -jar target/benchmarks.jar JsonReadersBench \
 *     -f 1 -wi 3 -i 5 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class JsonReadersBench {
    static final int LINES = 20_000;

    byte[][] lines;

    final JsonReaders.Reader jacksonBinding = new JsonReaders.JacksonBinding();
    final JsonReaders.Reader jacksonStreaming = new JsonReaders.JacksonStreaming();
    final JsonReaders.Reader dslJson = new JsonReaders.DslJsonDecoder();
    final JsonReaders.Reader jsoniter = new JsonReaders.JsoniterDecoder();
    final JsonReaders.Reader fastjson2 = new JsonReaders.Fastjson2Decoder();
    final JsonReaders.Reader byteDecoder = new JsonReaders.ByteDecoder();
    final ai.lthn.ml.score.LineDecoder scorePath = new ai.lthn.ml.score.LineDecoder();

    @Setup
    public void setUp() throws Exception {
        Path corpus = Path.of(System.getProperty("corpus", "/work/bench/p20k.jsonl"));
        List<byte[]> out = Files.isRegularFile(corpus) ? firstLines(corpus) : paddedGolden();
        lines = new byte[LINES][];
        long bytes = 0;
        for (int i = 0; i < LINES; i++) {
            lines[i] = out.get(i % out.size());
            bytes += lines[i].length;
        }
        System.out.printf(
                "%n# corpus %s: %d distinct lines, mean %.1f bytes a line%n",
                Files.isRegularFile(corpus) ? corpus : "padded golden (cache-hot)",
                Math.min(out.size(), LINES),
                bytes / (double) LINES);
        // every reader must read the same fields before it is timed
        for (byte[] line : lines) {
            JsonReaders.Fields want = jacksonBinding.decode(line);
            for (JsonReaders.Reader d : List.of(jacksonStreaming, dslJson, jsoniter, fastjson2, byteDecoder)) {
                if (!want.equals(d.decode(line)))
                    throw new IllegalStateException(d.getClass().getSimpleName() + " reads a line differently");
            }
        }
    }

    private static List<byte[]> firstLines(Path corpus) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            String line;
            while (out.size() < LINES && (line = r.readLine()) != null)
                if (!line.isBlank()) out.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * go-ml's public golden corpus with each response repeated (joined by a space) to at least
     * 1,000 UTF-8 bytes, one line each, as {@code score_corpus.py --pad 1000} makes them.
     */
    static List<byte[]> paddedGolden() throws IOException {
        Path golden = Path.of(System.getProperty("golden", "../shared/golden/public_corpus.jsonl"));
        ObjectMapper mapper = new ObjectMapper();
        List<byte[]> out = new ArrayList<>();
        for (String text : Files.readAllLines(golden, StandardCharsets.UTF_8)) {
            if (text.isBlank()) continue;
            ObjectNode node = (ObjectNode) mapper.readTree(text);
            String body = node.path("response").asText("");
            StringBuilder grown = new StringBuilder(body);
            while (!body.isEmpty() && grown.toString().getBytes(StandardCharsets.UTF_8).length < 1000)
                grown.append(' ').append(body);
            node.put("response", grown.toString());
            out.add(mapper.writeValueAsBytes(node));
        }
        return out;
    }

    private void run(JsonReaders.Reader d, Blackhole bh) throws Exception {
        for (byte[] line : lines) bh.consume(d.decode(line));
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void jacksonBinding(Blackhole bh) throws Exception {
        run(jacksonBinding, bh);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void jacksonStreaming(Blackhole bh) throws Exception {
        run(jacksonStreaming, bh);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void dslJson(Blackhole bh) throws Exception {
        run(dslJson, bh);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void jsoniter(Blackhole bh) throws Exception {
        run(jsoniter, bh);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void fastjson2(Blackhole bh) throws Exception {
        run(fastjson2, bh);
    }

    /**
     * Not a reader: the whole line made a {@code String} ({@code new String(line, UTF_8)}), the
     * floor under any reader that hands the response over as a Java string.
     */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void floorNewString(Blackhole bh) {
        for (byte[] line : lines) bh.consume(new String(line, StandardCharsets.UTF_8));
    }

    /** The project's byte decoder, making the three strings as the others do. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void lineDecoder(Blackhole bh) throws Exception {
        run(byteDecoder, bh);
    }

    /**
     * The project's byte decoder as {@code ml score --suites heuristic} uses it: the id and model
     * strings, the response's UTF-8 bytes where they lie (no string).
     */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void lineDecoderScorePath(Blackhole bh) {
        ai.lthn.ml.score.LineDecoder d = scorePath;
        for (byte[] line : lines) {
            if (d.decode(line, 0, line.length)) {
                bh.consume(d.string(ai.lthn.ml.score.LineDecoder.ID));
                bh.consume(d.string(ai.lthn.ml.score.LineDecoder.MODEL));
                d.utf8(ai.lthn.ml.score.LineDecoder.RESPONSE);
                bh.consume(d.bytesTo());
            }
        }
    }
}
