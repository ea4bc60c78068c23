package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A server that cannot bind fails with the library's I/O exception, naming the address. */
class OpenAiServerStartTest {

    @Test
    void anAddressInUseIsAnMlIOException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                OpenAiServer server = OpenAiServer.builder(ScriptedTextModel.of("x"))
                        .port(taken.getLocalPort())
                        .build()) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(MlIOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
