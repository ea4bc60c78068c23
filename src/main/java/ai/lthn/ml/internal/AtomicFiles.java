package ai.lthn.ml.internal;

import ai.lthn.ml.MlIOException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a file so readers see the old content or the new, never half of it, and a crash at any
 * moment leaves no stray file behind for long.
 *
 * <p>The content goes to a hidden temporary file in the same directory, named {@code
 * .NAME.PID.RANDOM.tmp}; it is flushed to disk ({@code fsync}) before it is renamed over the
 * target, and the directory is synced after the rename, so a power cut cannot leave an empty or
 * partial file under the target's name. A temporary file still in flight when the JVM shuts down
 * (SIGTERM, Ctrl-C) is deleted by a shutdown hook; one left by a process that was killed outright
 * ({@code kill -9}) is deleted by the next write of the same target once its process is gone.
 */
public final class AtomicFiles {
    private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);
    private static final Set<PosixFilePermission> MODE_644 = PosixFilePermissions.fromString("rw-r--r--");
    private static final long PID = ProcessHandle.current().pid();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deleteInFlight, "atomic-files-cleanup"));
    }

    private AtomicFiles() {}

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param out where to write it (buffered; closed by the caller)
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes to a temporary file next to {@code path}, syncs it, then renames it over {@code path};
     * the file is readable by all (mode 644), as go-ml writes its files.
     *
     * @param path the file to write
     * @param content writes the content
     * @throws MlIOException naming the file if anything fails (the temporary file is removed)
     */
    public static void write(Path path, Writer content) {
        replace(path, tmp -> {
            // A FileOutputStream, not a FileChannel: a channel closes itself when the writing thread
            // has been interrupted (a cancelled run that still writes what it scored).
            Files.createFile(tmp);
            mode644(tmp); // before the content, as go-ml's files are created
            try (java.io.FileOutputStream file = new java.io.FileOutputStream(tmp.toFile());
                    EarlySync early = new EarlySync(file, file.getFD()::sync);
                    OutputStream buffered = buffered(file, early)) {
                OutputStream out = new java.io.FilterOutputStream(buffered) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        buffered.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // a writer that closes what it is given (Jackson does) must not close the file
                    }
                };
                content.writeTo(out);
                buffered.flush();
                early.finish();
                file.getFD().sync();
            }
        });
    }

    /**
     * With more than one processor, a {@link WriteBehind}: the content is produced while what came
     * before it is written (a 100 MB score file's render and its write calls overlap); else a
     * plain buffer. Either writes through {@code early}, which syncs as it goes. Closing either
     * leaves {@code file} open.
     */
    private static OutputStream buffered(java.io.FileOutputStream file, EarlySync early) {
        if (Runtime.getRuntime().availableProcessors() > 1) return new WriteBehind(early);
        return new BufferedOutputStream(early, 64 * 1024) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * The one replace-by-rename: {@code make} writes and syncs a temporary file next to {@code
     * path}; it is then renamed over {@code path} and the directory synced. A failure removes the
     * temporary file; one left by {@code kill -9} is removed by the next write.
     */
    private static void replace(Path path, FileProducer make) {
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        String prefix = "." + abs.getFileName() + ".";
        removeOrphans(dir, prefix);
        Path tmp = dir.resolve(prefix + PID + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        IN_FLIGHT.add(tmp);
        try {
            make.produce(tmp);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new MlIOException("write " + path + ": " + describe(e), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        } finally {
            IN_FLIGHT.remove(tmp);
        }
    }

    private static void mode644(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, MODE_644);
        } catch (UnsupportedOperationException notPosix) {
            // keep the platform default
        }
    }

    /** What produces the file at a path it is given (a tool that writes files itself). */
    @FunctionalInterface
    public interface FileProducer {
        /**
         * Writes the whole content to {@code tmp}, which does not exist yet.
         *
         * @param tmp the temporary file to create
         * @throws IOException if writing fails
         */
        void produce(Path tmp) throws IOException;
    }

    /**
     * As {@link #write}, for content that something else writes to a file (DuckDB's {@code
     * COPY ... TO}): {@code content} creates the temporary file next to {@code path}; it is then
     * made readable by all, synced and renamed over {@code path}.
     *
     * @param path the file to write
     * @param content creates the temporary file
     * @throws MlIOException naming the file if anything fails (the temporary file is removed)
     */
    public static void produce(Path path, FileProducer content) {
        replace(path, tmp -> {
            content.produce(tmp);
            mode644(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        });
    }

    /**
     * Checks, before any work is done, that {@code path} could be written: its directory exists
     * and is writable, and it is not a directory.
     *
     * @param path the file to be written later
     * @throws MlIOException naming the problem
     */
    public static void checkWritable(Path path) {
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new MlIOException("write " + path + ": directory " + dir + " does not exist", (IOException) null);
        }
        if (!Files.isWritable(dir)) {
            throw new MlIOException("write " + path + ": directory " + dir + " is not writable", (IOException) null);
        }
        if (Files.isDirectory(abs)) {
            throw new MlIOException("write " + path + ": is a directory", (IOException) null);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory: " + e.getMessage();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Deletes temporary files of this target whose writing process no longer runs. */
    private static void removeOrphans(Path dir, String prefix) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob(prefix) + "*.tmp")) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring(prefix.length());
                int dot = rest.indexOf('.');
                if (dot <= 0) continue;
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, dot));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID && ProcessHandle.of(pid).isEmpty()) {
                    deleteQuietly(f);
                    log.debug("removed {} left by process {}", f, pid);
                }
            }
        } catch (IOException e) {
            log.debug("could not look for stale temporary files in {}: {}", dir, e.toString());
        }
    }

    private static String glob(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open or sync a directory; the rename itself is still atomic.
        }
    }

    private static void deleteInFlight() {
        for (Path p : IN_FLIGHT) deleteQuietly(p);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }
}
