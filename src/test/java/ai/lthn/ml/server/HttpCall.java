package ai.lthn.ml.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One plain HTTP exchange with a server on loopback, as the server tests make them. */
final class HttpCall {
    /**
     * What came back.
     *
     * @param status the status code
     * @param contentType the Content-Type header, or null
     * @param body the body (the error body for 4xx/5xx), empty when there is none
     * @param retryAfter the Retry-After header, or null
     */
    record Response(int status, String contentType, String body, String retryAfter) {}

    private HttpCall() {}

    /** {@code method url} with a JSON {@code body} (null: none) and extra request headers. */
    static Response send(String url, String method, String body, Map<String, String> headers) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        headers.forEach(c::setRequestProperty);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Response(status, c.getContentType(), text, c.getHeaderField("Retry-After"));
    }

    /** {@code method url} with a JSON {@code body} (null: none). */
    static Response send(String url, String method, String body) throws IOException {
        return send(url, method, body, Map.of());
    }
}
