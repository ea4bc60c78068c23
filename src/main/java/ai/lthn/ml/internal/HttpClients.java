package ai.lthn.ml.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;

/**
 * The library's one OkHttp client: one connection pool and dispatcher for every backend, judge,
 * Ollama and InfluxDB client built without an injected client (derive per-use settings with
 * {@code shared().newBuilder()}, which keeps the pool).
 *
 * <p>Its sockets have {@code TCP_NODELAY} set. With Nagle's algorithm on (the JDK's and OkHttp's
 * default), a request whose body spans more than one TCP segment waits for the peer's delayed
 * ACK before its last segment goes out: 20–44 ms per request on Linux loopback, measured as
 * InfluxDB writes of 1,000 points running at 46k points/s instead of 400k (FINDINGS.md).
 */
public final class HttpClients {
    private static final OkHttpClient SHARED = create();

    private HttpClients() {}

    /**
     * The shared client.
     *
     * @return the client
     */
    public static OkHttpClient shared() {
        return SHARED;
    }

    private static OkHttpClient create() {
        OkHttpClient c = new OkHttpClient.Builder().socketFactory(new NoDelay()).build();
        c.dispatcher().setMaxRequests(256);
        c.dispatcher().setMaxRequestsPerHost(256);
        return c;
    }

    /** Unconnected sockets (what OkHttp asks for) with {@code TCP_NODELAY} on. */
    static final class NoDelay extends SocketFactory {
        private final SocketFactory plain = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(plain.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(plain.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(plain.createSocket(host, port, local, localPort));
        }

        private static Socket noDelay(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return s;
        }
    }
}
