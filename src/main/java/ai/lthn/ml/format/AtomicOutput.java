package ai.lthn.ml.format;

import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Files written all or nothing: each is written to a temporary file in its target directory and
 * fsynced; {@link #commit()} renames them all into place and fsyncs the directory. Closing
 * without committing removes the temporary files, so a failure never leaves a half-written file.
 */
final class AtomicOutput implements AutoCloseable {
    /** What writes one file's content. */
    @FunctionalInterface
    interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    private record Pending(Path tmp, Path target) {}

    private final List<Pending> pending = new ArrayList<>();
    private boolean committed;

    /** Writes {@code content} to a temporary file beside {@code target} and fsyncs it. */
    void write(Path target, Content content) {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
            pending.add(new Pending(tmp, abs));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the platform default
            }
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(ch);
                ch.force(true);
            }
        } catch (IOException e) {
            throw new MlIOException("write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames every written file into place, then fsyncs their directories. */
    void commit() {
        for (Pending p : pending) {
            try {
                Files.move(p.tmp, p.target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new MlIOException("rename " + p.tmp + " to " + p.target + ": " + e.getMessage(), e);
            }
        }
        committed = true;
        for (Pending p : pending) {
            try (FileChannel dir = FileChannel.open(p.target.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                // a directory cannot be opened for sync on every platform; the rename is done
            }
        }
    }

    @Override
    public void close() {
        if (committed) return;
        for (Pending p : pending) {
            try {
                Files.deleteIfExists(p.tmp);
            } catch (IOException e) {
                // best effort: the temporary name starts with a dot and ends in .tmp
            }
        }
    }
}
