package ai.lthn.ml.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void entriesAreDeliveredOldestFirstAndSurviveReopening() {
        Outbox box = Outbox.open(dir, 3);
        box.append(b("one"));
        box.append(b("two"));
        box.append(b("three"));
        Outbox reopened = Outbox.open(dir, 3); // as after a restart
        assertThat(reopened.size()).isEqualTo(3);
        List<String> seen = new ArrayList<>();
        Outbox.DrainResult r = reopened.drain(p -> {
            seen.add(s(p));
            return Outbox.Outcome.DELIVERED;
        });
        assertThat(seen).containsExactly("one", "two", "three");
        assertThat(r).isEqualTo(new Outbox.DrainResult(3, 0, 0, 0));
        reopened.append(b("four")); // sequence continues after a reopen
        List<String> later = new ArrayList<>();
        Outbox.open(dir, 3).drain(p -> {
            later.add(s(p));
            return Outbox.Outcome.DELIVERED;
        });
        assertThat(later).containsExactly("four");
    }

    @Test
    void retryLaterStopsTheDrainAndDeadLettersAfterMaxAttempts() throws Exception {
        Outbox box = Outbox.open(dir, 2);
        box.append(b("a"));
        box.append(b("b"));
        assertThat(box.drain(p -> Outbox.Outcome.RETRY_LATER)).isEqualTo(new Outbox.DrainResult(0, 0, 0, 2));
        assertThat(box.drain(p -> Outbox.Outcome.RETRY_LATER).rejected()).isEqualTo(1); // a: second failure
        assertThat(box.size()).isEqualTo(1); // b was never tried past a
        try (var dead = Files.list(dir.resolve("dead"))) {
            assertThat(dead.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.endsWith(".entry"))
                    .anyMatch(n -> n.endsWith(".reason"));
        }
    }

    @Test
    void rejectedEntriesGoToDeadAndDamagedOnesToBad() throws Exception {
        Outbox box = Outbox.open(dir, 5);
        box.append(b("poison"));
        box.append(b("fine"));
        box.append(b("to-corrupt"));
        Path third;
        try (var p = Files.list(dir.resolve("pending"))) {
            third = p.sorted().toList().get(2);
        }
        Files.writeString(third, "00000000\ntampered");
        List<String> delivered = new ArrayList<>();
        Outbox.DrainResult r = box.drain(p -> {
            if (s(p).equals("poison")) return Outbox.Outcome.REJECTED;
            delivered.add(s(p));
            return Outbox.Outcome.DELIVERED;
        });
        assertThat(delivered).containsExactly("fine");
        assertThat(r).isEqualTo(new Outbox.DrainResult(1, 1, 1, 0));
        assertThat(Files.readString(dir.resolve("dead")
                        .resolve(Files.list(dir.resolve("dead"))
                                .filter(x -> x.toString().endsWith(".reason"))
                                .findFirst()
                                .orElseThrow()
                                .getFileName())))
                .contains("rejected");
        try (var bad = Files.list(dir.resolve("bad"))) {
            assertThat(bad).hasSize(1);
        }
    }

    @Test
    void aCrashMidAppendLeavesNothingHalfWritten() throws Exception {
        Outbox.open(dir, 3);
        Files.writeString(dir.resolve("pending").resolve("0000000000000000099.r00000000.a0.tmp"), "half");
        Outbox box = Outbox.open(dir, 3);
        assertThat(box.size()).isZero();
        try (var p = Files.list(dir.resolve("pending"))) {
            assertThat(p).isEmpty();
        }
    }

    @Test
    void appendsDuringDrainsLoseNothing() throws Exception {
        Outbox box = Outbox.open(dir, 3);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        AtomicBoolean duplicate = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) box.append(b(writer + "-" + i));
                }));
            }
            for (int d = 0; d < 3; d++)
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++)
                        box.drain(p -> {
                            if (!delivered.add(s(p))) duplicate.set(true);
                            return Outbox.Outcome.DELIVERED;
                        });
                }));
            for (Future<?> f : work) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        box.drain(p -> {
            if (!delivered.add(s(p))) duplicate.set(true);
            return Outbox.Outcome.DELIVERED;
        });
        assertThat(duplicate.get()).as("an entry was delivered twice").isFalse();
        assertThat(delivered).hasSize(600);
        assertThat(box.size()).isZero();
    }
}
