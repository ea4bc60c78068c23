package ai.lthn.ml.score;

import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Writing {@code ml score}'s score file (issue 18): the Jackson path ({@code Json.goWriter()},
 * before) against {@link ScoreFileWriter}, into a stream that counts and
 * drops the bytes, and into a file as {@code ml score --output} writes it ({@code *ToFile}:
 * {@link ScorerOutput#write}). The scores are those of {@code
 * -Dcorpus} (default {@code /work/bench/p200k.jsonl}: 200,000 responses, 10 models, an 81 MB file),
 * scored once at set-up with the heuristic suite (without that file the bench stops at set-up).
 *
 * <pre>mvn -Pbench -DskipTests package &amp;&amp; java -jar target/benchmarks.jar ScoreFileWriteBench \
 *     -f 1 -wi 3 -i 5 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ScoreFileWriteBench {
    ScorerOutput doc;

    /** Counts the bytes written, keeps none. */
    static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    @Setup
    public void setUp() throws Exception {
        Path corpus = Path.of(System.getProperty("corpus", "/work/bench/p200k.jsonl"));
        if (!Files.isRegularFile(corpus)) throw new IllegalStateException("no corpus at " + corpus + " (-Dcorpus)");
        EngineResult result;
        try (ResponseReader reader = ResponseReader.open(corpus)) {
            result = Engine.builder(null)
                    .suites(List.of(Suite.HEURISTIC))
                    .scoringThreads(Runtime.getRuntime().availableProcessors())
                    .build()
                    .scoreAll(reader);
        }
        doc = result.toOutput(ScorerOutput.Metadata.now(Clock.systemUTC(), "", "", List.of("heuristic")));
        Counting a = new Counting();
        Json.goWriter().writeValue(a, doc);
        Counting b = new Counting();
        ScoreFileWriter.write(doc, b);
        System.out.printf("%n# %s: %d bytes (Jackson), %d bytes (hand-written)%n", corpus, a.bytes, b.bytes);
    }

    /** The file the two {@code *ToFile} benchmarks write, as {@code ml score --output} does (temporary file, fsync, rename). */
    final Path file = Path.of(System.getProperty("java.io.tmpdir"), "score-file-write-bench.json");

    @Benchmark
    public void jacksonToFile() {
        AtomicFiles.write(file, out -> Json.goWriter().writeValue(out, doc));
    }

    @Benchmark
    public void writeToFile() {
        doc.write(file);
    }

    @TearDown
    public void tearDown() throws Exception {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long jackson() throws Exception {
        Counting out = new Counting();
        Json.goWriter().writeValue(out, doc);
        return out.bytes;
    }

    @Benchmark
    public long handWritten() throws Exception {
        Counting out = new Counting();
        ScoreFileWriter.write(doc, out);
        return out.bytes;
    }
}
