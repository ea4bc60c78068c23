package ai.lthn.ml.agent;

import ai.lthn.ml.MlException;

/** A step of the checkpoint agent failed (discovery, evaluation); the message names the step. */
public class AgentException extends MlException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public AgentException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
