package ai.lthn.ml.score;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.GoUtf8;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.score.internal.GoText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads go-ml's JSONL responses one line at a time, so a file of any size is scored in bounded
 * memory. As go-ml's {@code ReadResponses} (a {@code bufio.Scanner} with a 1 MiB buffer, then
 * {@code strings.TrimSpace} and {@code json.Unmarshal} per line):
 *
 * <ul>
 *   <li>lines end at {@code \n}; a {@code \r} before it is dropped; a carriage return alone does
 *       not end a line (a file with CR-only line endings is one line, refused as Go refuses it);
 *   <li>each line is trimmed of Unicode white space and skipped when empty;
 *   <li>a line of 1 MiB or more (its {@code \n} not counted) is an error;
 *   <li>a line must hold exactly one JSON object: a second value after it is an error, as in
 *       Go;
 *   <li>bytes that are not valid UTF-8 are read as U+FFFD, one per byte, as Go's decoder reads
 *       them.
 * </ul>
 *
 * Unlike go-ml, each error names the file and 1-based line ({@link InvalidInputException}), and a
 * line that is JSON {@code null} is refused (go-ml scores it as an empty response).
 *
 * <p>Not thread-safe. Close it (it closes the file).
 */
public final class ResponseReader implements Iterator<Response>, AutoCloseable {
    /** go-ml's scanner buffer: a line must end (or the file end) within 1 MiB. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    /** Data binding, built on first use: most files never need it (it costs start-up time). */
    private static final class Binding {
        static final ObjectReader JSON =
                Json.goReader(Response.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private final InputStream in;
    private final String source;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean inputDone;
    private int lineFrom;
    private int lineTo;
    private long lineNumber;
    private Response next;
    private final LineDecoder decoder = new LineDecoder();
    private boolean eof;

    private ResponseReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /**
     * Opens a JSONL file.
     *
     * @param path the responses file, UTF-8 JSONL (one response object per line; blank lines are
     *     skipped)
     * @return a reader over it; close it
     * @throws MlIOException if it cannot be opened
     */
    public static ResponseReader open(Path path) {
        try {
            return new ResponseReader(Files.newInputStream(path), path.toString());
        } catch (IOException e) {
            throw new MlIOException("open " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads UTF-8 JSONL from {@code in}, naming it {@code source} in errors.
     *
     * @param in the JSONL bytes; closed when the reader is closed
     * @param source the name used in error messages, e.g. a file name
     * @return a reader over {@code in}
     */
    public static ResponseReader of(InputStream in, String source) {
        return new ResponseReader(in, source);
    }

    @Override
    public boolean hasNext() {
        if (next == null && nextNonBlank()) next = decode(trimFrom, trimTo);
        return next != null;
    }

    private Response decode(int from, int to) {
        return decode(buf, from, to, source, lineNumber, decoder);
    }

    /**
     * Decodes one trimmed line: the plain shape through {@code decoder}, data binding for what it
     * declines.
     */
    static Response decode(byte[] bytes, int from, int to, String source, long lineNumber, LineDecoder decoder) {
        if (decoder.decode(bytes, from, to)) return decoder.response();
        return bind(bytes, from, to, source, lineNumber);
    }

    /**
     * A stretch of whole lines as read, not yet split, trimmed or decoded, for another thread:
     * {@code bytes[0, length)} ends with a {@code \n}, or at the end of the input. {@code
     * oversized}: the next line is 1 MiB or more (no {@code \n} within it), and nothing more
     * follows.
     */
    record Slab(byte[] bytes, int length, boolean oversized) {}

    /**
     * Reads the next stretch of whole lines into {@code into} (a larger array when a line does not
     * fit it, up to {@value #MAX_LINE_BYTES} + 1 bytes): no line is cut, copied again or looked at
     * beyond finding the last {@code \n}, so the thread that reads does little more than the
     * read itself. Do not mix with the line methods; {@link #lineNumber()} is not kept.
     *
     * @param into the array to fill (its content is overwritten)
     * @return the stretch, or null at the end of the input
     * @throws MlIOException if reading fails
     */
    Slab readSlab(byte[] into) {
        if (eof) return null;
        int n = end - start;
        byte[] s = into.length > n ? into : new byte[Math.min(Math.max(2 * n, into.length), MAX_LINE_BYTES + 1)];
        System.arraycopy(buf, start, s, 0, n); // the start of a line the last stretch did not hold
        start = 0;
        end = 0;
        while (true) {
            n = readInto(s, n);
            if (inputDone) {
                eof = true;
                return n == 0 ? null : new Slab(s, n, false);
            }
            int last = n - 1;
            while (last >= 0 && s[last] != '\n') last--;
            if (last >= 0) {
                int carry = n - last - 1;
                if (buf.length < carry) buf = new byte[Math.max(carry, 2 * buf.length)];
                System.arraycopy(s, last + 1, buf, 0, carry);
                end = carry;
                return new Slab(s, last + 1, false);
            }
            if (n >= MAX_LINE_BYTES) {
                eof = true;
                return new Slab(s, 0, true);
            }
            s = Arrays.copyOf(s, Math.min(2 * s.length, MAX_LINE_BYTES + 1));
        }
    }

    /** Reads into {@code s} from {@code n} until it is full or the input ends; the new length. */
    private int readInto(byte[] s, int n) {
        try {
            while (n < s.length) {
                int r = in.read(s, n, s.length - n);
                if (r < 0) {
                    inputDone = true;
                    break;
                }
                n += r;
            }
            return n;
        } catch (IOException e) {
            throw new MlIOException("read " + source + ": " + e.getMessage(), e);
        }
    }

    /** The end of the line {@code b[from, to)} without the {@code \r} of a {@code \r\n} ending. */
    static int withoutCr(byte[] b, int from, int to) {
        return to > from && b[to - 1] == '\r' ? to - 1 : to;
    }

    /** The error for a line of 1 MiB or more. */
    static InvalidInputException oversized(String source, long lineNumber) {
        return new InvalidInputException(source, lineNumber, "line of 1 MiB or more");
    }

    /** The data-binding path: every line the fast decoder declines, with its error wording. */
    static Response bind(byte[] buf, int from, int to, String source, long lineNumber) {
        Response r;
        try {
            // Decoded here, as Go reads the bytes (UTF-8, invalid bytes as U+FFFD): given bytes,
            // Jackson would guess the encoding (UTF-16/32 from leading zero bytes) and skip a
            // byte-order mark, where Go refuses both.
            r = Binding.JSON.readValue(GoUtf8.decode(buf, from, to));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, lineNumber, e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MlIOException("read " + source + ": " + e.getMessage(), e);
        }
        if (r == null) throw new InvalidInputException(source, lineNumber, "null is not a response object");
        return goStrings(r);
    }

    /**
     * The response with each lone surrogate (a {@code \\u} escape Go reads as U+FFFD) as U+FFFD, so
     * both paths give Go's strings; {@code r} itself when it holds none.
     */
    private static Response goStrings(Response r) {
        String prompt = GoText.goString(r.prompt());
        String response = GoText.goString(r.response());
        String id = GoText.goString(r.id());
        String model = GoText.goString(r.model());
        String domain = GoText.goString(r.domain());
        String correct = GoText.goString(r.correctAnswer());
        String best = GoText.goString(r.bestAnswer());
        String risk = GoText.goString(r.riskArea());
        if (prompt == r.prompt()
                && response == r.response()
                && id == r.id()
                && model == r.model()
                && domain == r.domain()
                && correct == r.correctAnswer()
                && best == r.bestAnswer()
                && risk == r.riskArea()) {
            return r;
        }
        return new Response(id, domain, prompt, response, model, r.elapsedSeconds(), correct, best, risk);
    }

    /**
     * Moves to the next line that is not blank, without decoding it (the one line loop of
     * {@link #hasNext()} and the one-thread scorer; use one of the two, not {@link #readSlab}). The line is {@link #buffer()}{@code [}{@link #lineFrom()}{@code
     * , }{@link #lineTo()}{@code )}, Go-trimmed, until the next call.
     *
     * @return false at the end of the input
     * @throws InvalidInputException for a line of 1 MiB or more
     */
    boolean nextNonBlank() {
        while (!eof) {
            if (!nextLine()) {
                eof = true;
                break;
            }
            trimFrom = GoUtf8.trimStart(buf, lineFrom, lineTo);
            trimTo = GoUtf8.trimEnd(buf, trimFrom, lineTo);
            if (trimFrom < trimTo) return true;
        }
        return false;
    }

    private int trimFrom;
    private int trimTo;

    byte[] buffer() {
        return buf;
    }

    int lineFrom() {
        return trimFrom;
    }

    int lineTo() {
        return trimTo;
    }

    String source() {
        return source;
    }

    @Override
    public Response next() {
        if (!hasNext()) throw new NoSuchElementException();
        Response r = next;
        next = null;
        return r;
    }

    /**
     * The number of the line last read (1-based, blank lines counted).
     *
     * @return the line number, 0 before the first line is read
     */
    public long lineNumber() {
        return lineNumber;
    }

    /** Finds the next line; sets {@code [lineFrom, lineTo)} without its {@code \n}. */
    private boolean nextLine() {
        int scanFrom = start;
        while (true) {
            int i = GoUtf8.indexOf(buf, scanFrom, end, (byte) '\n');
            if (i >= 0) {
                return line(start, i, i + 1);
            }
            if (inputDone) {
                return start < end && line(start, end, end);
            }
            if (end - start >= MAX_LINE_BYTES) throw oversized(source, lineNumber + 1);
            scanFrom = end - start;
            fill();
        }
    }

    private boolean line(int from, int to, int nextStart) {
        lineNumber++;
        if (to - from >= MAX_LINE_BYTES) throw oversized(source, lineNumber);
        lineFrom = from;
        lineTo = withoutCr(buf, from, to);
        start = nextStart;
        return true;
    }

    /** Moves the unread bytes to the front, grows the buffer if it is full, and reads more. */
    private void fill() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES + 1));
        try {
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) inputDone = true;
            else end += n;
        } catch (IOException e) {
            throw new MlIOException("read " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new MlIOException("close " + source + ": " + e.getMessage(), e);
        }
    }
}
