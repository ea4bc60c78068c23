package ai.lthn.ml.data;

import ai.lthn.ml.Message;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;

/**
 * go-ml's training line, {@code {"messages":[{"role":…,"content":…},…]}}, byte for byte as Go's
 * {@code json.Marshal} writes a {@code TrainingExample} ({@code <}, {@code >}, {@code &} escaped,
 * no spaces). The one definition for {@code ml approve}, {@code ml chat --output} and the export.
 */
public final class TrainingJsonl {
    private TrainingJsonl() {}

    /** One turn, in go-ml's field order. */
    record Turn(
            @JsonProperty("role") String role,
            @JsonProperty("content") String content) {}

    /** go-ml's {@code TrainingExample}. */
    record Example(@JsonProperty("messages") List<Turn> messages) {}

    /**
     * The line for {@code messages}, without its newline.
     *
     * @param messages the conversation, in order
     * @return the JSON text
     */
    public static String line(List<Message> messages) {
        List<Turn> turns = new ArrayList<>(messages.size());
        for (Message m : messages) turns.add(new Turn(m.role(), m.content()));
        try {
            return Json.goCompactWriter().writeValueAsString(new Example(turns));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a training line", e);
        }
    }

    /**
     * The line for one prompt and its reply.
     *
     * @param prompt the user's message
     * @param response the assistant's reply
     * @return the JSON text, without its newline
     */
    public static String line(String prompt, String response) {
        return line(List.of(Message.user(prompt), Message.assistant(response)));
    }
}
