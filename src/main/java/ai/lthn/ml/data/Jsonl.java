package ai.lthn.ml.data;

import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Streams a JSONL file line by line without holding it in memory, with go-ml's line cap (its
 * {@code bufio.Scanner} buffer of 1 MiB). A trailing CR is dropped as Go's scanner drops it. A
 * line over the cap is handed on as {@code null} (and skipped to its end), where go-ml's scanner
 * stopped reading the file without a word.
 */
final class Jsonl {
    static final int MAX_LINE_BYTES = 1024 * 1024;

    /** Receives each line: its 1-based number, its bytes (valid up to {@code length}) or null when too long. */
    interface LineHandler {
        void line(long number, byte[] bytes, int length);
    }

    /**
     * Receives each line with where it lies in the file: {@code offset} where it starts, {@code
     * next} where the next line starts (past its newline), and whether a newline ended it (the
     * last line of a file cut short by a crash has none).
     */
    interface LineVisitor {
        void line(long number, long offset, long next, byte[] bytes, int length, boolean terminated);
    }

    private final LineVisitor handler;
    private final int maxLineBytes;
    private long offset;
    private long lineStart;
    private byte[] line = new byte[8192];
    private int len;
    private boolean tooLong;
    private long number;

    private Jsonl(LineVisitor handler, int maxLineBytes) {
        this.handler = handler;
        this.maxLineBytes = maxLineBytes;
    }

    static void forEachLine(Path file, LineHandler handler) {
        scan(
                file,
                MAX_LINE_BYTES,
                (number, offset, next, bytes, length, terminated) -> handler.line(number, bytes, length));
    }

    /**
     * Every line of {@code file} with its position; a line over {@code maxLineBytes} is handed on
     * as {@code null} bytes (its position still exact).
     */
    static void scan(Path file, int maxLineBytes, LineVisitor visitor) {
        Jsonl j = new Jsonl(visitor, maxLineBytes);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            int n;
            while ((n = in.read(chunk)) != -1) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') continue;
                    j.take(chunk, start, i - start);
                    j.offset += i - start + 1;
                    j.emit(true);
                    start = i + 1;
                }
                j.take(chunk, start, n - start);
                j.offset += n - start;
            }
            if (j.len > 0 || j.tooLong) j.emit(false);
        } catch (IOException e) {
            throw new MlIOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    private void take(byte[] src, int off, int count) {
        if (tooLong || count == 0) return;
        if (len + count > maxLineBytes) {
            tooLong = true;
            return;
        }
        if (len + count > line.length)
            line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, Math.max(len + count, (long) line.length * 2)));
        System.arraycopy(src, off, line, len, count);
        len += count;
    }

    private void emit(boolean terminated) {
        number++;
        if (tooLong) handler.line(number, lineStart, offset, null, 0, terminated);
        else
            handler.line(number, lineStart, offset, line, len > 0 && line[len - 1] == '\r' ? len - 1 : len, terminated);
        lineStart = offset;
        len = 0;
        tooLong = false;
    }
}
