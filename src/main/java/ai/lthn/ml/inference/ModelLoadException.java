package ai.lthn.ml.inference;

import ai.lthn.ml.MlException;

/**
 * A model could not be loaded: no engine accepted the path, the files are missing or
 * malformed, or the engine failed while loading. The message names the path and, when several
 * engines were tried, why each one declined.
 */
public class ModelLoadException extends MlException {
    private static final long serialVersionUID = 1L;

    /**
     * A load failure.
     *
     * @param message what went wrong
     */
    public ModelLoadException(String message) {
        super(message);
    }

    /**
     * A load failure with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
