package ai.lthn.ml.server;

import org.eclipse.jetty.io.EofException;

/**
 * The client closed its connection while its request was being handled. A Jetty {@code
 * EofException} (a quiet one), so Jetty does not log it as an error or try to answer it.
 */
final class ClientGoneException extends EofException {
    private static final long serialVersionUID = 1L;

    ClientGoneException() {
        super("client went away");
    }
}
