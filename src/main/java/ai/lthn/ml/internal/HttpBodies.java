package ai.lthn.ml.internal;

import ai.lthn.ml.MlException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import okhttp3.ResponseBody;

/**
 * Response bodies read with a bound, for every HTTP client of the library: a runaway or hostile
 * server gives a clear error (or a cut error text), never an out-of-memory.
 */
public final class HttpBodies {
    /** How much of an error body is kept for messages. */
    public static final long ERROR_TEXT_BYTES = 64 * 1024;

    private HttpBodies() {}

    /**
     * The whole body, up to {@code bound} bytes.
     *
     * @throws MlException "response body larger than N bytes from SOURCE" beyond the bound
     */
    public static byte[] bytes(ResponseBody body, long bound, String source) throws IOException {
        if (body == null) return new byte[0];
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bound + 1));
            if (bytes.length > bound)
                throw new MlException("response body larger than " + bound + " bytes from " + source);
            return bytes;
        }
    }

    /** The body as UTF-8 text, cut after {@code bound} bytes (for error messages). */
    public static String text(ResponseBody body, long bound) throws IOException {
        if (body == null) return "";
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bound));
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
