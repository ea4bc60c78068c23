package ai.lthn.ml.data;

import ai.lthn.ml.MlIOException;
import java.io.BufferedInputStream;
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

    private Jsonl() {}

    /** Receives each line: its 1-based number, its bytes (valid up to {@code length}) or null when too long. */
    interface LineHandler {
        void line(long number, byte[] bytes, int length);
    }

    static void forEachLine(Path file, LineHandler handler) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] buf = new byte[8192];
            long number = 0;
            while (true) {
                int len = 0;
                boolean tooLong = false;
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    if (tooLong) continue;
                    if (len == MAX_LINE_BYTES) {
                        tooLong = true;
                        continue;
                    }
                    if (len == buf.length) buf = Arrays.copyOf(buf, Math.min(MAX_LINE_BYTES, buf.length * 2));
                    buf[len++] = (byte) b;
                }
                if (b == -1 && len == 0 && !tooLong) break;
                number++;
                if (tooLong) handler.line(number, null, 0);
                else {
                    if (len > 0 && buf[len - 1] == '\r') len--;
                    handler.line(number, buf, len);
                }
                if (b == -1) break;
            }
        } catch (IOException e) {
            throw new MlIOException("read " + file + ": " + e.getMessage(), e);
        }
    }
}
