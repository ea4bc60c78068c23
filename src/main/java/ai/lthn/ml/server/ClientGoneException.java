package ai.lthn.ml.server;

import java.io.IOException;

/** The client closed its connection while its request was being handled. */
final class ClientGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    ClientGoneException() {
        super("client went away");
    }
}
