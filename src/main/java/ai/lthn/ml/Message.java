package ai.lthn.ml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation. On the wire and in files it is {@code {"role":"user","content":"…"}},
 * as in go-ml and the OpenAI API. Shared by {@link Backend} and the iterator contract in
 * {@code ai.lthn.ml.inference} (go-ml aliases one type for both; here it is one record).
 *
 * <p>Tool calling adds two things: an assistant turn may carry the {@link ToolCall}s the model
 * asked for ({@link #assistant(String, List)}), and the answer to each call is a {@code tool} turn
 * naming the call's id ({@link #tool(String, String)}). Backends without tool calling see only
 * role and content. As JSON (Jackson) a plain turn stays {@code {"role","content"}}; the tool
 * fields appear as {@code tool_calls} and {@code tool_call_id} only when set.
 *
 * @param role "system", "user", "assistant" or "tool" (other roles are passed through unchanged)
 * @param content the text of the turn ("" for an assistant turn that only calls tools)
 * @param toolCalls the calls an assistant turn made; empty for none
 * @param toolCallId the call a {@code tool} turn answers; empty for other turns
 */
public record Message(
        String role,
        String content,

        @JsonProperty("tool_calls") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<ToolCall> toolCalls,

        @JsonProperty("tool_call_id") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        String toolCallId) {
    /** The role of a system prompt. */
    public static final String SYSTEM = "system";
    /** The role of the user. */
    public static final String USER = "user";
    /** The role of the model. */
    public static final String ASSISTANT = "assistant";
    /** The role of a tool's answer. */
    public static final String TOOL = "tool";

    /**
     * Validates that role and content are present.
     *
     * @param content the text of the turn
     * @param role "system", "user", "assistant" or "tool" (other roles are passed through unchanged)
     * @param toolCalls the calls an assistant turn made; null or empty for none
     * @param toolCallId the call a tool turn answers; null or empty for other turns
     * @throws IllegalArgumentException if a tool turn names no call, or a turn other than an
     *     assistant one carries tool calls
     */
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        toolCallId = toolCallId == null ? "" : toolCallId;
        if (TOOL.equals(role) && toolCallId.isEmpty())
            throw new IllegalArgumentException("a tool message needs the id of the call it answers");
        if (!toolCalls.isEmpty() && !ASSISTANT.equals(role))
            throw new IllegalArgumentException("only an assistant message carries tool calls, not a " + role + " one");
    }

    /**
     * A plain turn: no tool calls.
     *
     * @param role the role
     * @param content the text of the turn
     */
    public Message(String role, String content) {
        this(role, content, List.of(), "");
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

    /**
     * An assistant turn that called tools, to send back with the answers on the next turn.
     *
     * @param content the text the model wrote alongside the calls (often "")
     * @param toolCalls the calls, as the result reported them
     * @return an assistant turn carrying the calls
     */
    public static Message assistant(String content, List<ToolCall> toolCalls) {
        return new Message(ASSISTANT, content, toolCalls, "");
    }

    /**
     * A tool's answer to one call ({@code role: tool}, {@code tool_call_id}).
     *
     * @param toolCallId the id of the call answered ({@link ToolCall#id()})
     * @param content the tool's output, usually JSON text
     * @return a tool turn
     */
    public static Message tool(String toolCallId, String content) {
        return new Message(TOOL, content, List.of(), Objects.requireNonNull(toolCallId, "toolCallId"));
    }
}
