package ai.lthn.ml.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection-level defences against slow and greedy clients: at most so many open connections
 * per client address and in all (the excess is closed at once), and a new connection must send
 * its first request's headers within the header timeout. Jetty reads headers without holding a
 * thread, so slow clients cost a socket each, never a worker; these limits bound the sockets.
 */
final class ClientLimits implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLimits.class);

    private final Settings settings;
    private final Server server;
    private final ConcurrentHashMap<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<Connection, String> clients = new ConcurrentHashMap<>();

    ClientLimits(Settings settings, Server server) {
        this.settings = settings;
        this.server = server;
    }

    @Override
    public void onOpened(Connection connection) {
        String client = client(connection.getEndPoint().getRemoteSocketAddress());
        clients.put(connection, client); // a closed end point may no longer know its address
        int mine = perClient.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
        int all = total.incrementAndGet();
        if (mine > settings.maxConnectionsPerClient() || all > settings.maxConnections()) {
            LOG.warn(
                    "refusing a connection from {}: {} open from it, {} in all (limits {}, {})",
                    client,
                    mine,
                    all,
                    settings.maxConnectionsPerClient(),
                    settings.maxConnections());
            connection.getEndPoint().close();
            return;
        }
        server.getScheduler()
                .schedule(
                        () -> {
                            if (connection.getMessagesIn() == 0
                                    && connection.getEndPoint().isOpen()) {
                                LOG.info("closing a connection from {}: no request within the header timeout", client);
                                connection.getEndPoint().close();
                            }
                        },
                        settings.headerTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {
        String client = clients.remove(connection);
        if (client == null) return;
        total.decrementAndGet();
        perClient.computeIfPresent(client, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private static String client(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(address);
    }
}
