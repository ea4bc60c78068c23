package ai.lthn.ml.agent;

import ai.lthn.ml.MlException;

/** A step of the checkpoint agent failed (discovery, evaluation); the message names the step. */
public class AgentException extends MlException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure described by {@code message}.
     *
     * @param message what failed, naming the step
     */
    public AgentException(String message) {
        super(message);
    }

    /**
     * A failure described by {@code message}, caused by {@code cause}.
     *
     * @param message what failed, naming the step
     * @param cause the underlying failure, or {@code null} if none
     */
    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
