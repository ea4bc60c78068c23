package ai.lthn.ml.internal;

import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file so readers see the old content or the new, never half of it. */
public final class AtomicFiles {
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> MODE_644 =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {}

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes to a temporary file next to {@code path}, then renames it over {@code path}; the file
     * is readable by all (mode 644), as go-ml writes its files.
     *
     * @throws MlIOException naming the file if anything fails (the temporary file is removed)
     */
    public static void write(Path path, Writer content) {
        Path abs = path.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(abs.getParent(), abs.getFileName() + ".", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, MODE_644); // as go-ml writes; a temp file starts at 600
            } catch (UnsupportedOperationException notPosix) {
                // keep the platform default
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) tmp.toFile().delete();
            throw new MlIOException("write " + path + ": " + e.getMessage(), e);
        }
    }
}
