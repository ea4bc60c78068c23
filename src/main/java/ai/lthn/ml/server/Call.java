package ai.lthn.ml.server;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request in flight: the exchange, what the log line reports, and blocking writes bounded by
 * the write timeout (a client that stops reading gets its connection closed, not a thread held).
 */
final class Call {
    final Request request;
    final Response response;
    final String method;
    final String path;
    final long startNanos;
    private final Duration writeTimeout;
    int status = 200;
    int tokens;
    boolean closeAfter;

    Call(Request request, Response response, Duration writeTimeout, long startNanos) {
        this.startNanos = startNanos;
        this.request = request;
        this.response = response;
        this.method = request.getMethod();
        this.path = Request.getPathInContext(request);
        this.writeTimeout = writeTimeout;
    }

    EndPoint endPoint() {
        return request.getConnectionMetaData().getConnection().getEndPoint();
    }

    /** Sends a whole JSON response. */
    void json(int code, String body) throws IOException {
        send(code, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sends a whole response with its length. */
    void send(int code, String contentType, byte[] body) throws IOException {
        status = code;
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (closeAfter) response.getHeaders().put(HttpHeader.CONNECTION, "close");
        write(true, body.length == 0 || method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body));
    }

    /**
     * Writes and waits for the bytes to be taken by the network, at most the write timeout.
     *
     * @throws IOException if the client is gone or stopped reading (then the connection is closed)
     */
    void write(boolean last, ByteBuffer bytes) throws IOException {
        Callback.Completable done = new Callback.Completable();
        response.write(last, bytes, done);
        try {
            done.get(writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            endPoint().close();
            throw new IOException("client stopped reading: a write waited " + writeTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endPoint().close();
            throw new InterruptedIOException("interrupted while writing");
        }
    }
}
