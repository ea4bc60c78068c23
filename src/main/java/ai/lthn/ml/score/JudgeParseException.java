package ai.lthn.ml.score;

import ai.lthn.ml.MlException;

/** A judge replied, but not with the JSON its rubric asks for. {@link #reply()} is what it said. */
public class JudgeParseException extends MlException {
    private static final long serialVersionUID = 1L;

    /** The judge's raw reply. */
    private final String reply;

    /**
     * A parse failure with the judge's raw reply.
     *
     * @param message what went wrong
     * @param reply the judge's raw reply
     */
    public JudgeParseException(String message, String reply) {
        super(message);
        this.reply = reply == null ? "" : reply;
    }

    /**
     * The judge's raw reply.
     *
     * @return the judge's raw reply
     */
    public String reply() {
        return reply;
    }
}
