package ai.lthn.ml.store;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.ChildJvm;
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
        Outbox box = Outbox.open(dir);
        box.append(b("one"));
        box.append(b("two"));
        box.append(b("three"));
        Outbox reopened = Outbox.open(dir); // as after a restart
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
        Outbox.open(dir).drain(p -> {
            later.add(s(p));
            return Outbox.Outcome.DELIVERED;
        });
        assertThat(later).containsExactly("four");
    }

    @Test
    void retryLaterStopsTheDrainAndNeverDeadLetters() throws Exception {
        Outbox box = Outbox.open(dir);
        box.append(b("a"));
        box.append(b("b"));
        List<String> tried = new ArrayList<>();
        for (int i = 0; i < 25; i++) // a long outage
        assertThat(box.drain(p -> {
                        tried.add(s(p));
                        return Outbox.Outcome.RETRY_LATER;
                    }))
                    .isEqualTo(new Outbox.DrainResult(0, 0, 0, 2));
        assertThat(tried).containsOnly("a"); // b was never tried past a
        try (var dead = Files.list(dir.resolve("dead"))) {
            assertThat(dead).isEmpty();
        }
        List<String> later = new ArrayList<>();
        assertThat(box.drain(p -> {
                    later.add(s(p));
                    return Outbox.Outcome.DELIVERED;
                }))
                .isEqualTo(new Outbox.DrainResult(2, 0, 0, 0));
        assertThat(later).containsExactly("a", "b");
    }

    @Test
    void rejectedEntriesGoToDeadAndDamagedOnesToBad() throws Exception {
        Outbox box = Outbox.open(dir);
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
        Outbox.open(dir);
        Files.writeString(dir.resolve("pending").resolve("0000000000000000099.r00000000.a0.tmp"), "half");
        Outbox box = Outbox.open(dir);
        assertThat(box.size()).isZero();
        try (var p = Files.list(dir.resolve("pending"))) {
            assertThat(p).isEmpty();
        }
    }

    @Test
    void appendsDuringDrainsLoseNothing() throws Exception {
        Outbox box = Outbox.open(dir);
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

    /** Runs {@link OutboxAppendMain} in a separate JVM. */
    private Process appender(int count, String prefix, int padding) throws Exception {
        return new ProcessBuilder(ChildJvm.command(
                        List.of("-Xmx64m"),
                        OutboxAppendMain.class,
                        dir.toString(),
                        Integer.toString(count),
                        prefix,
                        Integer.toString(padding)))
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolveSibling(dir.getFileName() + "-appender.log").toFile())
                .start();
    }

    private String appenderLog() throws Exception {
        return Files.readString(dir.resolveSibling(dir.getFileName() + "-appender.log"));
    }

    private List<String> drainHeads(Outbox box) {
        List<String> seen = new ArrayList<>();
        box.drain(p -> {
            String t = s(p);
            seen.add(t.substring(0, t.indexOf(' ')));
            return Outbox.Outcome.DELIVERED;
        });
        return seen;
    }

    @Test
    void entriesFromTwoProcessesReplayInTheOrderTheyWereAppended() throws Exception {
        Outbox mine = Outbox.open(dir); // opened first, appends last
        Process other = appender(3, "other", 0);
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).as(appenderLog()).isZero();
        mine.append(b("mine0 x"));
        assertThat(drainHeads(mine)).containsExactly("other0", "other1", "other2", "mine0");
    }

    @Test
    void openingDoesNotDeleteAnotherProcesssAppendInFlight() throws Exception {
        // another JVM appends while this one keeps opening the outbox, which cleans up after
        // crashed appends: it must never take a live writer's temporary file
        Outbox.open(dir);
        Process other = appender(150, "e", 256 * 1024);
        try {
            while (other.isAlive()) Outbox.open(dir);
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            other.destroyForcibly();
        }
        assertThat(other.exitValue()).as(appenderLog()).isZero();
        assertThat(Outbox.open(dir).size()).isEqualTo(150);
    }

    @Test
    void temporariesLeftByACrashedAppendAreRemoved() throws Exception {
        Outbox.open(dir);
        Path orphan = dir.resolve("pending").resolve("0000000000000000099.a0.4242.tmp");
        Files.writeString(orphan, "half");
        Path counter = dir.resolve("sequence.4242.tmp");
        Files.writeString(counter, "7");
        Outbox.open(dir);
        assertThat(orphan).doesNotExist();
        assertThat(counter).doesNotExist();
    }

    @Test
    void aLostOrStaleCounterNeverReusesANumber() throws Exception {
        Outbox box = Outbox.open(dir);
        box.append(b("a x"));
        box.append(b("b x"));
        Files.writeString(dir.resolve("sequence"), "1"); // its last update lost (power cut)
        Outbox reopened = Outbox.open(dir);
        reopened.append(b("c x"));
        Files.writeString(dir.resolve("sequence"), "garbage");
        reopened.append(b("d x"));
        assertThat(drainHeads(reopened)).containsExactly("a", "b", "c", "d");
    }
}
