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

    /** The largest mapping one {@code ByteBuffer} holds (a JVM array-size limit, kept for buffers too). */
    static final int MAX_WINDOW = Integer.MAX_VALUE - 8;

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
        if (length > MAX_WINDOW) {
            throw new InvalidInputException(
                    path.toString(),
                    offset,
                    "tensor " + tensor + " is over 2 GiB (" + length
                            + " bytes): read it in windows with data(tensor, offset, length)");
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

    /**
     * A read-only little-endian mapping of {@code count} bytes at {@code from} within a tensor of
     * {@code length} bytes starting at file offset {@code base}: the way to read a tensor larger
     * than one buffer can hold.
     */
    static ByteBuffer window(FileChannel ch, Path path, String tensor, long base, long length, long from, int count) {
        if (from < 0 || count < 0 || from > length || count > length - from) {
            throw new IndexOutOfBoundsException("window [" + from + ", +" + count + ") is outside tensor " + tensor
                    + " of " + length + " bytes in " + path);
        }
        if (count > MAX_WINDOW) {
            throw new IllegalArgumentException(
                    "window of " + count + " bytes is over the " + MAX_WINDOW + "-byte limit of one buffer");
        }
        return map(ch, path, tensor, base + from, count);
    }

    static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
