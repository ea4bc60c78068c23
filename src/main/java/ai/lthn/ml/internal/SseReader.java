package ai.lthn.ml.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.ProtocolException;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * A pull parser for server-sent events: {@link #next()} blocks until the next event's data is
 * complete and returns it, so a slow consumer applies back-pressure and nothing is buffered
 * beyond one event.
 *
 * <p>Follows the WHATWG event-stream rules that OpenAI-compatible servers use: {@code data:}
 * lines (one optional space after the colon) are joined with {@code \n}; a blank line ends an
 * event; {@code :} comments and {@code id:} / {@code retry:} fields are skipped; {@code event:}
 * names the event ({@link #eventName()}); lines end with {@code \n} or {@code \r\n}. An event
 * without data is not returned; data left without its blank line at the end of the stream is
 * dropped, as the standard says.
 *
 * <p>Not thread-safe. Lines longer than the bound fail with a {@link ProtocolException} instead of
 * growing the buffer without limit.
 */
public final class SseReader implements Closeable {
    private static final ByteString DATA = ByteString.encodeUtf8("data:");
    private static final ByteString EVENT = ByteString.encodeUtf8("event:");

    private final BufferedSource source;
    private final long maxLineBytes;
    private final Buffer data = new Buffer();
    private String eventName = "";
    private boolean hasData;

    /**
     * A reader over {@code source}.
     *
     * @param maxLineBytes the longest line accepted (also bounds one event's data)
     */
    public SseReader(BufferedSource source, long maxLineBytes) {
        if (maxLineBytes < 16) throw new IllegalArgumentException("maxLineBytes < 16");
        this.source = source;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The data of the next event, or null when the stream has ended.
     *
     * @throws ProtocolException if a line or an event exceeds the bound
     * @throws IOException if reading fails
     */
    public byte[] next() throws IOException {
        eventName = "";
        hasData = false;
        data.clear();
        while (true) {
            long eol = source.indexOf((byte) '\n', 0, maxLineBytes + 1);
            if (eol < 0) {
                if (source.buffer().size() > maxLineBytes)
                    throw new ProtocolException("event-stream line longer than " + maxLineBytes + " bytes");
                return null; // end of stream; a partial line or event without its blank line is dropped
            }
            long len = eol > 0 && source.buffer().getByte(eol - 1) == '\r' ? eol - 1 : eol;
            if (len == 0) {
                source.skip(eol + 1);
                if (hasData) return data.readByteArray();
                eventName = "";
                continue;
            }
            if (len >= DATA.size() && source.rangeEquals(0, DATA)) {
                long start = DATA.size();
                if (len > start && source.buffer().getByte(start) == ' ') start++;
                source.skip(start);
                if (hasData) data.writeByte('\n');
                source.read(data, len - start);
                hasData = true;
                if (data.size() > maxLineBytes)
                    throw new ProtocolException("event-stream event larger than " + maxLineBytes + " bytes");
                source.skip(eol + 1 - len);
            } else if (len >= EVENT.size() && source.rangeEquals(0, EVENT)) {
                long start = EVENT.size();
                if (len > start && source.buffer().getByte(start) == ' ') start++;
                source.skip(start);
                eventName = source.readUtf8(len - start);
                source.skip(eol + 1 - len);
            } else {
                source.skip(eol + 1); // comment, id:, retry: or an unknown field
            }
        }
    }

    /** The {@code event:} name of the event last returned by {@link #next()}, or empty. */
    public String eventName() {
        return eventName;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
