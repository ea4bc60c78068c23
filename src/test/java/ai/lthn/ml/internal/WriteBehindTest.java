package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteBehindTest {
    /** Writes {@code data} in pieces of random sizes (single bytes among them). */
    private static void writeInPieces(OutputStream out, byte[] data, Random rnd) throws IOException {
        int pos = 0;
        while (pos < data.length) {
            if (rnd.nextInt(10) == 0) {
                out.write(data[pos++]);
                continue;
            }
            int n = Math.min(data.length - pos, rnd.nextInt(3 * WriteBehind.CHUNK / 2));
            out.write(data, pos, n);
            pos += n;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, WriteBehind.CHUNK - 1, WriteBehind.CHUNK, WriteBehind.CHUNK + 1, 5_000_000})
    void everyByteArrivesInOrder(int size) throws IOException {
        byte[] data = new byte[size];
        Random rnd = new Random(size);
        rnd.nextBytes(data);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (WriteBehind out = new WriteBehind(sink)) {
            writeInPieces(out, data, rnd);
        }
        assertThat(sink.toByteArray()).isEqualTo(data);
    }

    @Test
    void flushWritesEverythingSoFarAndTheStreamGoesOn() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        byte[] big = new byte[3 * WriteBehind.CHUNK + 7];
        new Random(1).nextBytes(big);
        try (WriteBehind out = new WriteBehind(sink)) {
            out.write(big);
            out.flush();
            assertThat(sink.size()).isEqualTo(big.length);
            out.write(big, 0, 10);
            out.flush();
            assertThat(sink.size()).isEqualTo(big.length + 10);
        }
    }

    @Test
    void aSmallStreamNeverStartsAThread() throws IOException {
        AtomicReference<Thread> writingThread = new AtomicReference<>();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("whole arrays only");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writingThread.set(Thread.currentThread());
            }
        };
        try (WriteBehind out = new WriteBehind(sink)) {
            out.write(new byte[1000]);
        }
        assertThat(writingThread.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aFailedWriteIsThrownToTheCallerAndNothingAfterItIsWritten() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (writes.incrementAndGet() == 2) throw new IOException("No space left on device");
            }
        };
        WriteBehind out = new WriteBehind(failing);
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 100; i++) out.write(new byte[WriteBehind.CHUNK]);
                    out.flush();
                })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No space left on device");
        assertThatThrownBy(out::close).isInstanceOf(IOException.class);
        assertThat(writes.get()).isEqualTo(2);
        assertThat(writerThreads()).isZero();
    }

    @Test
    void aCallerAheadOfASlowDiskWaitsWithBoundedBuffers() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {
                started.incrementAndGet();
                try {
                    disk.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AtomicInteger handed = new AtomicInteger();
        Thread caller = new Thread(() -> {
            try (WriteBehind out = new WriteBehind(slow)) {
                for (int i = 0; i < 20; i++) {
                    out.write(new byte[WriteBehind.CHUNK]);
                    handed.incrementAndGet();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        caller.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // the thread is in its first write, and the caller waits for room
        while ((started.get() == 0 || caller.getState() != Thread.State.WAITING) && System.nanoTime() - until < 0)
            Thread.sleep(5);
        // one being written, QUEUED waiting, one being filled: the caller stops there
        assertThat(handed.get()).isLessThanOrEqualTo(WriteBehind.QUEUED + 2);
        assertThat(started.get()).isEqualTo(1);
        disk.countDown();
        caller.join(30_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(handed.get()).isEqualTo(20);
    }

    @Test
    void anInterruptedCallerStillWritesEverythingAndKeepsItsInterrupt() throws IOException {
        byte[] data = new byte[10 * WriteBehind.CHUNK + 3];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Thread.currentThread().interrupt();
        try (WriteBehind out = new WriteBehind(sink)) {
            out.write(data);
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(sink.toByteArray()).isEqualTo(data);
    }

    @Test
    void closeEndsTheThreadAndLeavesTheUnderlyingStreamOpen() throws IOException {
        AtomicInteger closes = new AtomicInteger();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {}

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        WriteBehind out = new WriteBehind(sink);
        out.write(new byte[5 * WriteBehind.CHUNK]);
        out.close();
        out.close();
        assertThat(closes.get()).isZero();
        assertThat(writerThreads()).isZero();
        assertThatThrownBy(() -> out.write(new byte[WriteBehind.CHUNK + 1])).isInstanceOf(IOException.class);
    }

    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lthn-ml-write-behind-") && t.isAlive())
                .count();
    }
}
