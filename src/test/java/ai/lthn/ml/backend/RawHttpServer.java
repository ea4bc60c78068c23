package ai.lthn.ml.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server for faults MockWebServer cannot produce: it answers every request
 * with an event-stream head, writes the given text, then either resets the connection (RST) or
 * writes without end until the client goes away.
 */
final class RawHttpServer implements AutoCloseable {
    enum Then {
        RESET,
        ENDLESS
    }

    private final ServerSocket socket;
    private final Thread acceptor;
    final AtomicInteger requests = new AtomicInteger();

    RawHttpServer(String prefix, Then then) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    while (!socket.isClosed()) {
                        try (Socket s = socket.accept()) {
                            readRequest(s.getInputStream());
                            requests.incrementAndGet();
                            OutputStream out = s.getOutputStream();
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                                            + prefix)
                                    .getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            if (then == Then.RESET) {
                                s.setSoLinger(true, 0); // close sends RST
                            } else {
                                byte[] xs = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                        .repeat(64)
                                        .getBytes(StandardCharsets.US_ASCII);
                                while (true) out.write(xs); // until the client closes
                            }
                        } catch (IOException e) {
                            // the client went away, or the server closed
                        }
                    }
                },
                "raw-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : h.split("\r\n"))
                    if (line.toLowerCase().startsWith("content-length:"))
                        length = Integer.parseInt(line.substring(15).trim());
                in.readNBytes(length);
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
