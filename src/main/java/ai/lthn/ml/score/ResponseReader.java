package ai.lthn.ml.score;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads go-ml's JSONL responses one line at a time, so a file of any size is scored in bounded
 * memory. As go-ml: each line is trimmed, blank lines are skipped, a line over 1 MiB is an error.
 * Unlike go-ml, each error names the file and 1-based line ({@link InvalidInputException}).
 *
 * <p>Not thread-safe. Close it (it closes the file).
 */
public final class ResponseReader implements Iterator<Response>, AutoCloseable {
    /** go-ml's scanner limit: 1 MiB per line. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    private static final ObjectReader JSON = Json.goReader(Response.class);

    private final BufferedReader in;
    private final String source;
    private final StringBuilder line = new StringBuilder();
    private long lineNumber;
    private Response next;
    private boolean eof;

    private ResponseReader(BufferedReader in, String source) {
        this.in = in;
        this.source = source;
    }

    /**
     * Opens a JSONL file.
     *
     * @throws MlIOException if it cannot be opened
     */
    public static ResponseReader open(Path path) {
        try {
            return new ResponseReader(Files.newBufferedReader(path, StandardCharsets.UTF_8), path.toString());
        } catch (IOException e) {
            throw new MlIOException("open " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads from {@code reader}, naming it {@code source} in errors. */
    public static ResponseReader of(Reader reader, String source) {
        return new ResponseReader(new BufferedReader(reader), source);
    }

    @Override
    public boolean hasNext() {
        while (next == null && !eof) {
            String text = readLine();
            if (text == null) {
                eof = true;
                break;
            }
            String trimmed = text.strip();
            if (trimmed.isEmpty()) continue;
            try {
                next = JSON.readValue(trimmed);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException(source, lineNumber, e.getOriginalMessage(), e);
            }
        }
        return next != null;
    }

    @Override
    public Response next() {
        if (!hasNext()) throw new NoSuchElementException();
        Response r = next;
        next = null;
        return r;
    }

    /** The number of the line last read (1-based, blank lines counted). */
    public long lineNumber() {
        return lineNumber;
    }

    private String readLine() {
        line.setLength(0);
        try {
            int c;
            boolean any = false;
            while ((c = in.read()) != -1) {
                any = true;
                if (c == '\n') break;
                line.append((char) c);
                if (line.length() > MAX_LINE_BYTES)
                    throw new InvalidInputException(source, lineNumber + 1, "line longer than 1 MiB");
            }
            if (!any) return null;
            lineNumber++;
            String s = line.toString();
            if (s.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES)
                throw new InvalidInputException(source, lineNumber, "line longer than 1 MiB");
            return s;
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
