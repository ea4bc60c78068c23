package ai.lthn.ml;

import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base for tests that talk to a fresh loopback MockWebServer, started before each test and closed after. */
public abstract class MockServerTest {
    /** The server of the current test. */
    protected final MockWebServer server = new MockWebServer();

    @BeforeEach
    final void startMockServer() throws Exception {
        server.start();
    }

    @AfterEach
    final void stopMockServer() {
        server.close();
    }
}
