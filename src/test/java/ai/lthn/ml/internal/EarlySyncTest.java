package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlySyncTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static void writeInPieces(java.io.OutputStream out, byte[] content) throws IOException {
        for (int i = 0; i < content.length; i += 65_536) out.write(content, i, Math.min(65_536, content.length - i));
    }

    private static boolean syncThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("lthn-ml-early-sync") && t.isAlive());
    }

    @Test
    void everyByteGoesThroughInOrderAndALargeFileIsSyncedAsItIsWritten() throws Exception {
        byte[] content = bytes(20 << 20, 1);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AtomicInteger syncs = new AtomicInteger();
        CountDownLatch synced = new CountDownLatch(1);
        try (EarlySync early = new EarlySync(sink, () -> {
            syncs.incrementAndGet();
            synced.countDown();
        })) {
            writeInPieces(early, content);
            // the thread started at 8 MiB syncs before finish() (which would end it unstarted)
            assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
            early.finish();
        }
        assertThat(sink.toByteArray()).isEqualTo(content);
        // 20 MiB: asked for at 8 and 16 MiB; a sync asked while one runs is merged with it
        assertThat(syncs.get()).isBetween(1, 2);
        assertThat(syncThreadAlive()).isFalse();
    }

    @Test
    void aSmallFileStartsNoThreadAndSyncsNothingEarly() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        AtomicInteger syncs = new AtomicInteger();
        EarlySync early = new EarlySync(sink, syncs::incrementAndGet);
        writeInPieces(early, bytes((int) EarlySync.SYNC_EVERY - 1, 2));
        early.write('x');
        early.close();
        assertThat(syncs.get()).isZero();
        assertThat(sink.size()).isEqualTo((int) EarlySync.SYNC_EVERY);
    }

    @Test
    void aFailedEarlySyncIsThrownAtTheEnd() throws Exception {
        IOException gone = new IOException("disk gone");
        CountDownLatch tried = new CountDownLatch(1);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        EarlySync early = new EarlySync(sink, () -> {
            tried.countDown();
            throw gone;
        });
        writeInPieces(early, bytes(12 << 20, 3));
        // an early sync the thread had not begun when finish() came is simply not made (the final
        // sync covers its bytes); one that was made and failed is thrown
        assertThat(tried.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(early::finish).isSameAs(gone);
        assertThat(sink.size()).isEqualTo(12 << 20); // the writes went on
        assertThatThrownBy(early::close).isSameAs(gone);
    }

    @Test
    void finishWaitsForASyncInProgress() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger completed = new AtomicInteger();
        EarlySync early = new EarlySync(new ByteArrayOutputStream(), () -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            completed.incrementAndGet();
        });
        writeInPieces(early, bytes(9 << 20, 4));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread finisher = new Thread(() -> {
            try {
                early.finish();
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        finisher.start();
        finisher.join(200);
        assertThat(finisher.isAlive())
                .as("finish returned while a sync was in progress")
                .isTrue();
        release.countDown();
        finisher.join(30_000);
        assertThat(finisher.isAlive()).isFalse();
        assertThat(failed.get()).isNull();
        assertThat(completed.get()).isEqualTo(1);
    }

    @Test
    void atomicFilesWritesALargeFileExactly() throws Exception {
        byte[] content = bytes(30 << 20, 5);
        Path out = dir.resolve("big.bin");
        Files.write(out, new byte[] {1, 2, 3}); // replaced
        AtomicFiles.write(out, o -> writeInPieces(o, content));
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(out);
        }
        assertThat(syncThreadAlive()).isFalse();
    }
}
