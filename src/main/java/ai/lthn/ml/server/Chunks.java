package ai.lthn.ml.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The JSON of OpenAI's response objects, built from precomputed prefixes: one streamed chunk
 * costs a string escape and a few appends, not an object tree (the server delivers hundreds of
 * thousands of tokens a second).
 */
final class Chunks {
    private final boolean chat;
    private final String head;

    /** Chunks for one response: {@code chat.completion.chunk} or {@code text_completion}. */
    Chunks(boolean chat, String id, long created, String model) {
        this.chat = chat;
        this.head = "{\"id\":" + quote(id) + ",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
                + "\",\"created\":" + created + ",\"model\":" + quote(model) + ",\"choices\":[";
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"').toString();
    }

    /** The first chat chunk: the assistant role, no content. */
    String role() {
        return head + "{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}";
    }

    /** One token. */
    void token(StringBuilder out, String text) {
        out.append(head);
        if (chat) {
            out.append("{\"index\":0,\"delta\":{\"content\":\"");
            JsonStringEncoder.getInstance().quoteAsString(text, out);
            out.append("\"},\"finish_reason\":null}]}");
        } else {
            out.append("{\"index\":0,\"text\":\"");
            JsonStringEncoder.getInstance().quoteAsString(text, out);
            out.append("\",\"finish_reason\":null}]}");
        }
    }

    /** A chat chunk adding {@code text} to choice {@code index} (a pass-through stream's common step). */
    void text(StringBuilder out, int index, String text) {
        out.append(head).append("{\"index\":").append(index).append(",\"delta\":{\"content\":\"");
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append("\"},\"logprobs\":null,\"finish_reason\":null}]}");
    }

    /** The final chunk with the finish reason. */
    String finish(String reason) {
        return head + (chat ? "{\"index\":0,\"delta\":{}," : "{\"index\":0,\"text\":\"\",") + "\"finish_reason\":"
                + quote(reason) + "}]}";
    }

    /** The usage chunk ({@code stream_options.include_usage}): empty choices and the counts. */
    String usage(int prompt, int completion) {
        return head + "]," + usageField(prompt, completion) + "}";
    }

    static String usageField(int prompt, int completion) {
        return "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + "}";
    }

    /** A whole non-streamed response. */
    static byte[] complete(
            boolean chat,
            String id,
            long created,
            String model,
            String text,
            String reason,
            int prompt,
            int completion) {
        String body = "{\"id\":" + quote(id) + ",\"object\":\"" + (chat ? "chat.completion" : "text_completion")
                + "\",\"created\":" + created + ",\"model\":" + quote(model) + ",\"choices\":[{\"index\":0,"
                + (chat
                        ? "\"message\":{\"role\":\"assistant\",\"content\":" + quote(text) + "},"
                        : "\"text\":" + quote(text) + ",")
                + "\"finish_reason\":" + quote(reason) + "}]," + usageField(prompt, completion) + "}";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** An OpenAI error envelope. */
    static String error(String message, String type, String code) {
        return "{\"error\":{\"message\":" + quote(message == null ? "error" : message) + ",\"type\":" + quote(type)
                + ",\"code\":" + (code == null ? "null" : quote(code)) + "}}";
    }
}
