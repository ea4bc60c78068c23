package ai.lthn.ml.format;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What both readers share: opening a file for parsing, and mapping one tensor's bytes. */
final class MappedFiles {
    /** Parses an open channel; keeps it when it returns, which hands ownership on. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(FileChannel ch) throws IOException;
    }

    private MappedFiles() {}

    /** Opens {@code path} and parses it; the channel is closed when parsing fails. */
    static <T> T open(Path path, Parser<T> parser) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new MlIOException("read " + path + ": " + e.getMessage(), e);
        }
        try {
            T parsed = parser.parse(ch);
            ch = null;
            return parsed;
        } catch (IOException e) {
            throw new MlIOException("read " + path + ": " + e.getMessage(), e);
        } finally {
            if (ch != null) closeQuietly(ch);
        }
    }

    /** A read-only little-endian mapping of {@code length} bytes at {@code offset} (checked by the caller). */
    static ByteBuffer map(FileChannel ch, Path path, String tensor, long offset, long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(path.toString(), offset, "tensor " + tensor + " is over 2 GiB: " + length);
        }
        if (length == 0) return ByteBuffer.allocate(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        try {
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, length)
                    .asReadOnlyBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new MlIOException("map " + tensor + " in " + path + ": " + e.getMessage(), e);
        }
    }

    static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
