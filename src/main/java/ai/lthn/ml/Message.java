package ai.lthn.ml;

import java.util.Objects;

/**
 * One turn of a conversation. On the wire and in files it is {@code {"role":"user","content":"…"}},
 * as in go-ml and the OpenAI API. Shared by {@link Backend} and the iterator contract in
 * {@code ai.lthn.ml.inference} (go-ml aliases one type for both; here it is one record).
 *
 * @param role "system", "user" or "assistant" (other roles are passed through unchanged)
 * @param content the text of the turn
 */
public record Message(String role, String content) {
    /** The role of a system prompt. */
    public static final String SYSTEM = "system";
    /** The role of the user. */
    public static final String USER = "user";
    /** The role of the model. */
    public static final String ASSISTANT = "assistant";

    /**
     * Validates that role and content are present.
     *
     * @param content the text of the turn
     * @param role "system", "user" or "assistant" (other roles are passed through unchanged)
     */
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /**
     * A system turn.
     *
     * @param content the text of the turn
     * @return a system turn
     */
    public static Message system(String content) {
        return new Message(SYSTEM, content);
    }

    /**
     * A user turn.
     *
     * @param content the text of the turn
     * @return a user turn
     */
    public static Message user(String content) {
        return new Message(USER, content);
    }

    /**
     * An assistant turn.
     *
     * @param content the text of the turn
     * @return an assistant turn
     */
    public static Message assistant(String content) {
        return new Message(ASSISTANT, content);
    }
}
