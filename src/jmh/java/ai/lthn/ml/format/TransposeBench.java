package ai.lthn.ml.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Transposing an F16 4096×4096 matrix (32 MiB) — the LoRA conversions' inner loop — against the
 * ceiling of a plain {@code System.arraycopy} of the same bytes, and against the element-by-element
 * copy through {@code ByteBuffer} get/put that go-ml's loop amounts to. Throughput = 32 MiB / time.
 *
 * <p>{@code mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar TransposeBench -f 1 -wi 2 -i 3}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TransposeBench {
    static final int N = 4096;

    byte[] src;
    byte[] dst;

    @Setup
    public void setup() {
        src = new byte[N * N * 2];
        new SplittableRandom(1).nextBytes(src);
        dst = new byte[src.length];
    }

    @Benchmark
    public byte[] arraycopyCeiling() {
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }

    @Benchmark
    public byte[] tiledTranspose() {
        Transpose.transposeInto(src, dst, N, N, 2);
        return dst;
    }

    @Benchmark
    public byte[] naiveByteBuffer() {
        ByteBuffer s = ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer d = ByteBuffer.wrap(dst).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < N; c++) d.putShort((c * N + r) * 2, s.getShort((r * N + c) * 2));
        }
        return dst;
    }
}
