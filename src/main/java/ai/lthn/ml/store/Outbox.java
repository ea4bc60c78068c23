package ai.lthn.ml.store;

import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable outbox: entries accepted by {@link #append} survive a crash and are handed to a
 * {@link Handler} by {@link #drain} until it reports them delivered, in the order they were
 * appended.
 *
 * <p>One file per entry in {@code pending/}, written to a temporary file, forced to disk and
 * renamed into place, so a crash leaves either the whole entry or none of it; each entry carries
 * a CRC-32 of its payload. Fixes go-ml's buffer (reliability.md I9–I12): no whole-file rewrite that
 * a crash or a concurrent append can lose, no torn line kept for ever (a damaged entry moves to
 * {@code bad/}), and no poison entry retried for ever (an entry the target rejects moves to
 * {@code dead/} with the reason next to it).
 *
 * <p>An entry that cannot be delivered now ({@link Outcome#RETRY_LATER}: the target is down or
 * failing) waits in {@code pending/} however often that happens; only a definitive
 * {@link Outcome#REJECTED} dead-letters it, so an outage never throws good data away. Several
 * processes may share one outbox: appends take {@code append.lock} and number entries from the
 * shared counter file {@code sequence}, so entries replay in the order they were appended, across
 * processes; an append holds that lock until its temporary file is renamed into place, and
 * {@link #open} removes leftover temporaries only while holding it, so never another process's
 * append in flight (temporaries carry their writer's process id, for the operator). Draining
 * holds {@code drain.lock}, so two processes never deliver the same entry at once; appending
 * never waits for a drain.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String SUFFIX = ".entry";

    private static final long PID = ProcessHandle.current().pid();

    private final Path pending;
    private final Path bad;
    private final Path dead;
    private final Path lockFile;
    private final Path appendLock;
    private final Path sequenceFile;

    /** What a handler made of one entry. */
    public enum Outcome {
        /** Delivered: the entry is removed. */
        DELIVERED,
        /**
         * Not now (the target is down or failing): the entry stays, however often this happens,
         * and draining stops here.
         */
        RETRY_LATER,
        /** Never (the target refused this entry for good): the entry moves to {@code dead/}. */
        REJECTED
    }

    /** Delivers one entry's payload. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Delivers one entry.
         *
         * @param payload the entry's bytes exactly as appended (already checked against its CRC)
         * @return what became of the entry: delivered, retry later (draining stops) or rejected
         */
        Outcome deliver(byte[] payload);
    }

    /**
     * What one {@link #drain} did.
     *
     * @param delivered entries delivered and removed
     * @param rejected entries the target refused for good, moved to {@code dead/}
     * @param damaged entries that failed their checksum, moved to {@code bad/}
     * @param remaining entries still pending after the drain
     */
    public record DrainResult(int delivered, int rejected, int damaged, int remaining) {}

    private Outbox(Path dir) throws IOException {
        this.pending = Files.createDirectories(dir.resolve("pending"));
        this.bad = Files.createDirectories(dir.resolve("bad"));
        this.dead = Files.createDirectories(dir.resolve("dead"));
        this.lockFile = dir.resolve("drain.lock");
        this.appendLock = dir.resolve("append.lock");
        this.sequenceFile = dir.resolve("sequence");
        recover();
    }

    /**
     * Opens (creating) the outbox in {@code dir}.
     *
     * @param dir the outbox directory; {@code pending/}, {@code bad/} and {@code dead/} are made
     *     in it, and leftovers of a crashed append are removed
     * @return the outbox
     * @throws MlIOException if the directories cannot be made or read
     */
    public static Outbox open(Path dir) {
        try {
            return new Outbox(dir);
        } catch (IOException e) {
            throw new MlIOException("open outbox " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens (creating) the outbox in {@code dir}.
     *
     * @param dir the outbox directory, as {@link #open(Path)}
     * @param maxAttempts no longer used: an entry that cannot be delivered now waits until it can
     *     (dead-lettering after a number of failed deliveries threw away good data during an
     *     ordinary outage); only a rejection dead-letters it; must be at least 1
     * @return the outbox
     * @throws IllegalArgumentException if {@code maxAttempts} is below 1
     * @deprecated use {@link #open(Path)}
     */
    @Deprecated
    public static Outbox open(Path dir, int maxAttempts) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
        return open(dir);
    }

    /**
     * Stores {@code payload} durably: when this returns, the entry survives a crash.
     *
     * @param payload the entry's bytes, stored with a CRC-32; handed back unchanged by {@link #drain}
     * @throws MlIOException if it cannot be stored (then it was not accepted)
     */
    public void append(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        byte[] head =
                String.format(java.util.Locale.ROOT, "%08x\n", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        Path tmp = null;
        // one appender at a time, across processes: the entry's number is taken and the entry
        // renamed into place under the lock, so number order is the order entries became visible
        try (FileChannel lc = FileChannel.open(appendLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockWithinProcess(lc, APPENDING)) {
            long seq = nextSequence();
            String name = String.format(java.util.Locale.ROOT, "%019d.a0", seq);
            tmp = pending.resolve(name + "." + PID + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(payload)});
                ch.force(true);
            }
            move(tmp, pending.resolve(name + SUFFIX));
            syncDirectory(pending);
        } catch (IOException e) {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to undo
            }
            throw new MlIOException("append to outbox " + pending + ": " + e.getMessage(), e);
        }
    }

    /**
     * The next entry number (call with the append lock held): one more than the shared counter,
     * which is replaced atomically. An unreadable counter is rebuilt from the entries present.
     */
    private long nextSequence() throws IOException {
        long last = readSequence();
        if (last < 0) last = highestEntry();
        long next = last + 1;
        writeSequence(next);
        return next;
    }

    /** The shared counter, or -1 when it is missing or unreadable. */
    private long readSequence() throws IOException {
        try {
            return Long.parseLong(
                    Files.readString(sequenceFile, StandardCharsets.US_ASCII).strip());
        } catch (java.nio.file.NoSuchFileException | NumberFormatException unreadable) {
            return -1;
        }
    }

    private void writeSequence(long value) throws IOException {
        Path tmp = sequenceFile.resolveSibling("sequence." + PID + ".tmp");
        Files.writeString(tmp, Long.toString(value), StandardCharsets.US_ASCII);
        move(tmp, sequenceFile);
    }

    /** The highest entry number in pending/, dead/ and bad/ (0 when there is none). */
    private long highestEntry() throws IOException {
        long last = 0;
        for (Path d : List.of(pending, dead, bad))
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*" + SUFFIX)) {
                for (Path p : s) last = Math.max(last, sequenceOf(p));
            }
        return last;
    }

    /**
     * Cleans up after crashed appends, holding the append lock: every append holds it from
     * creating its temporary file to renaming it into place, so any temporary seen under the
     * lock is provably abandoned (its writer died), never another process's append in flight.
     * Then raises the counter to the highest entry present: after a power loss the counter's last
     * update may be lost while entries written after it survived (they were forced, it was not),
     * and a reused number would replace an entry.
     */
    private void recover() throws IOException {
        try (FileChannel lc = FileChannel.open(appendLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockWithinProcess(lc, APPENDING)) {
            try (DirectoryStream<Path> tmp = Files.newDirectoryStream(pending, "*.tmp")) {
                for (Path t : tmp) Files.deleteIfExists(t); // a crashed append: never accepted
            }
            try (DirectoryStream<Path> tmp = Files.newDirectoryStream(sequenceFile.getParent(), "sequence.*.tmp")) {
                for (Path t : tmp) Files.deleteIfExists(t);
            }
            long highest = highestEntry();
            if (readSequence() < highest) writeSequence(highest);
        }
    }

    /**
     * Entries waiting for delivery.
     *
     * @return the number of pending entries (lists the directory)
     */
    public int size() {
        return list().size();
    }

    /**
     * Hands the payload of each entry waiting, oldest first, to {@code action}, one at a time
     * (damaged entries are skipped); delivers nothing and changes nothing.
     *
     * @throws MlIOException if the directory cannot be read
     * @param action the action
     */
    public void forEachPending(java.util.function.Consumer<byte[]> action) {
        Objects.requireNonNull(action, "action");
        for (Path entry : list()) {
            byte[] payload;
            try {
                payload = read(entry);
            } catch (java.nio.file.NoSuchFileException delivered) {
                continue; // a drain in another process delivered it meanwhile
            } catch (IOException e) {
                throw new MlIOException("read outbox entry " + entry + ": " + e.getMessage(), e);
            }
            if (payload != null) action.accept(payload);
        }
    }

    /**
     * Hands pending entries, oldest first, to {@code handler} until one must wait. Holds the
     * outbox's file lock meanwhile (another drain, in this process or another, waits for it).
     *
     * @param handler delivers each entry and says what became of it
     * @return the counts of this drain
     * @throws MlIOException if the outbox files cannot be read, moved or removed
     */
    public DrainResult drain(Handler handler) {
        int delivered = 0;
        int rejected = 0;
        int damaged = 0;
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockWithinProcess(ch, DRAINING)) {
            for (Path entry : list()) {
                byte[] payload = read(entry);
                if (payload == null) {
                    move(entry, bad.resolve(entry.getFileName()));
                    damaged++;
                    LOG.warn("outbox entry {} is damaged; moved to {}", entry.getFileName(), bad);
                    continue;
                }
                Outcome outcome = handler.deliver(payload);
                if (outcome == Outcome.DELIVERED) {
                    Files.delete(entry);
                    delivered++;
                } else if (outcome == Outcome.REJECTED) {
                    deadLetter(entry, "rejected by the target");
                    rejected++;
                } else {
                    // waits for the target, however long: the count is kept for the operator only
                    int attempts = attemptsOf(entry) + 1;
                    String n = entry.getFileName().toString();
                    move(entry, pending.resolve(n.substring(0, n.lastIndexOf(".a")) + ".a" + attempts + SUFFIX));
                    break;
                }
            }
            syncDirectory(pending);
        } catch (IOException e) {
            throw new MlIOException("drain outbox " + pending + ": " + e.getMessage(), e);
        }
        return new DrainResult(delivered, rejected, damaged, size());
    }

    private static final Object DRAINING = new Object();
    private static final Object APPENDING = new Object();

    /** A JVM holds one lock per file: threads of this process queue on a monitor, processes on the lock. */
    private static FileLock lockWithinProcess(FileChannel ch, Object monitor) throws IOException {
        synchronized (monitor) {
            while (true) {
                try {
                    return ch.lock();
                } catch (java.nio.channels.OverlappingFileLockException busy) {
                    try {
                        monitor.wait(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted waiting for the outbox lock");
                    }
                }
            }
        }
    }

    private void deadLetter(Path entry, String reason) throws IOException {
        Path target = dead.resolve(entry.getFileName());
        move(entry, target);
        Files.writeString(dead.resolve(entry.getFileName() + ".reason"), reason + "\n");
        LOG.warn("outbox entry {} dead-lettered: {}", entry.getFileName(), reason);
    }

    private List<Path> list() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(pending, "*" + SUFFIX)) {
            for (Path p : s) out.add(p);
        } catch (IOException e) {
            throw new MlIOException("list outbox " + pending + ": " + e.getMessage(), e);
        }
        out.sort(null); // zero-padded shared sequence numbers: name order is append order
        return out;
    }

    /** The payload, or null when the entry is damaged (bad header or checksum). */
    private static byte[] read(Path entry) throws IOException {
        byte[] all = Files.readAllBytes(entry);
        if (all.length < 9 || all[8] != '\n') return null;
        long expected;
        try {
            expected = Long.parseLong(new String(all, 0, 8, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        byte[] payload = Arrays.copyOfRange(all, 9, all.length);
        CRC32 crc = new CRC32();
        crc.update(payload);
        return crc.getValue() == expected ? payload : null;
    }

    private static long sequenceOf(Path p) {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring(0, n.indexOf('.')));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static int attemptsOf(Path p) {
        String n = p.getFileName().toString();
        int a = n.lastIndexOf(".a");
        int end = n.indexOf('.', a + 2);
        try {
            return Integer.parseInt(n.substring(a + 2, end));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open a directory; the rename is still atomic there
        }
    }

    /**
     * The outbox's directory of pending entries.
     *
     * @return the {@code pending} directory inside the outbox directory
     */
    public Path pendingDirectory() {
        return Objects.requireNonNull(pending);
    }
}
