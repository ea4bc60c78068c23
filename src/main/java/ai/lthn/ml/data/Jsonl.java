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

    private final LineHandler handler;
    private byte[] line = new byte[8192];
    private int len;
    private boolean tooLong;
    private long number;

    private Jsonl(LineHandler handler) {
        this.handler = handler;
    }

    static void forEachLine(Path file, LineHandler handler) {
        Jsonl j = new Jsonl(handler);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            int n;
            while ((n = in.read(chunk)) != -1) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') continue;
                    j.take(chunk, start, i - start);
                    j.emit();
                    start = i + 1;
                }
                j.take(chunk, start, n - start);
            }
            if (j.len > 0 || j.tooLong) j.emit();
        } catch (IOException e) {
            throw new MlIOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    private void take(byte[] src, int off, int count) {
        if (tooLong || count == 0) return;
        if (len + count > MAX_LINE_BYTES) {
            tooLong = true;
            return;
        }
        if (len + count > line.length)
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(len + count, line.length * 2)));
        System.arraycopy(src, off, line, len, count);
        len += count;
    }

    private void emit() {
        number++;
        if (tooLong) handler.line(number, null, 0);
        else handler.line(number, line, len > 0 && line[len - 1] == '\r' ? len - 1 : len);
        len = 0;
        tooLong = false;
    }
}
