package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    @Test
    void theSharedClientsSocketsSendWithoutNaglesDelay() throws Exception {
        assertThat(HttpClients.shared().socketFactory()).isInstanceOf(HttpClients.NoDelay.class);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket unconnected = HttpClients.shared().socketFactory().createSocket()) {
            assertThat(unconnected.getTcpNoDelay()).isTrue(); // OkHttp connects the socket itself
            unconnected.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            try (Socket direct = HttpClients.shared()
                    .socketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                assertThat(direct.getTcpNoDelay()).isTrue();
            }
        }
    }

    @Test
    void derivedClientsKeepTheSocketsAndThePool() {
        okhttp3.OkHttpClient derived = HttpClients.shared().newBuilder().build();
        assertThat(derived.socketFactory()).isSameAs(HttpClients.shared().socketFactory());
        assertThat(derived.connectionPool()).isSameAs(HttpClients.shared().connectionPool());
    }
}
