package ai.lthn.ml.server;

import ai.lthn.ml.Message;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One parsed {@code /v1/chat/completions} or {@code /v1/completions} request, with go-ml's
 * max-tokens cap and sliding context window applied.
 *
 * @param messages the conversation (a completion's prompt is one user message)
 * @param maxTokens the token limit after the cap
 * @param includeUsage whether {@code stream_options.include_usage} asked for a usage chunk
 * @param extras the fields beyond plain generation (tools, logprobs, n, …)
 * @param model the request's {@code model}, empty when absent: forwarded to a model that routes by name
 */
record GenerationRequest(
        boolean chat,
        List<Message> messages,
        int maxTokens,
        float temperature,
        boolean stream,
        boolean includeUsage,
        RequestExtras extras,
        String model) {

    /**
     * Parses a request body.
     *
     * @throws ApiException 400 naming the field that is missing or of the wrong type
     */
    static GenerationRequest parse(byte[] body, boolean chat, int maxTokensCap, int maxContext) {
        JsonNode root;
        try {
            root = Json.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid JSON body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw ApiException.badRequest("the request body must be a JSON object");
        List<Message> messages = chat ? messages(root) : List.of(Message.user(prompt(root)));
        int requested = integer(root, "max_completion_tokens", integer(root, "max_tokens", 0));
        if (requested < 0) throw ApiException.badRequest("max_tokens must not be negative: " + requested);
        int maxTokens = requested == 0 || requested > maxTokensCap ? maxTokensCap : requested;
        double t = number(root, "temperature", 0);
        if (!Float.isFinite((float) t) || t < 0)
            throw ApiException.badRequest(
                    "field temperature must be a finite number, 0 or more: " + root.get("temperature"));
        float temperature = (float) t;
        boolean stream = bool(root, "stream");
        JsonNode options = root.get("stream_options");
        boolean includeUsage = options != null && options.isObject() && bool(options, "include_usage");
        RequestExtras extras = RequestExtras.parse(root, chat);
        JsonNode model = root.get("model"); // forwarded to a model that routes by name, as go-ml does
        if (model != null && !model.isNull() && !model.isTextual())
            throw ApiException.badRequest("field model must be a string");
        return new GenerationRequest(
                chat,
                window(messages, maxContext),
                maxTokens,
                temperature,
                stream,
                includeUsage,
                extras,
                model == null || model.isNull() ? "" : model.textValue());
    }

    /** go-ml's sliding window: a leading system message kept, then the last {@code max} others. */
    static List<Message> window(List<Message> messages, int max) {
        if (max <= 0 || messages.size() <= max) return messages;
        List<Message> out = new ArrayList<>();
        List<Message> rest = messages;
        if (Message.SYSTEM.equals(messages.get(0).role())) {
            out.add(messages.get(0));
            rest = messages.subList(1, messages.size());
        }
        out.addAll(rest.subList(Math.max(0, rest.size() - max), rest.size()));
        return List.copyOf(out);
    }

    private static List<Message> messages(JsonNode root) {
        JsonNode list = root.get("messages");
        if (list == null || list.isNull()) throw ApiException.badRequest("missing required field: messages");
        if (!list.isArray()) throw ApiException.badRequest("field messages must be an array");
        if (list.isEmpty()) throw ApiException.badRequest("field messages must not be empty");
        List<Message> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject()) throw ApiException.badRequest("field " + where + " must be an object");
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual())
                throw ApiException.badRequest("missing required field: " + where + ".role");
            out.add(message(m, role.textValue(), where));
        }
        return out;
    }

    /** A turn, with the tool calls an assistant turn made or the call a tool turn answers. */
    private static Message message(JsonNode m, String role, String where) {
        String content = content(m.get("content"), where + ".content");
        List<ai.lthn.ml.ToolCall> calls = new ArrayList<>();
        JsonNode list = m.get("tool_calls");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) throw ApiException.badRequest("field " + where + ".tool_calls must be an array");
            for (int i = 0; i < list.size(); i++) {
                JsonNode c = list.get(i);
                String at = where + ".tool_calls[" + i + "]";
                JsonNode id = c.get("id");
                JsonNode f = c.get("function");
                if (id == null || !id.isTextual())
                    throw ApiException.badRequest("missing required field: " + at + ".id");
                if (f == null || !f.path("name").isTextual())
                    throw ApiException.badRequest("missing required field: " + at + ".function.name");
                JsonNode args = f.get("arguments");
                if (args != null && !args.isNull() && !args.isTextual())
                    throw ApiException.badRequest("field " + at + ".function.arguments must be a string");
                calls.add(new ai.lthn.ml.ToolCall(
                        id.textValue(), f.path("name").textValue(), args == null ? "" : args.asText("")));
            }
        }
        JsonNode callId = m.get("tool_call_id");
        if (callId != null && !callId.isNull() && !callId.isTextual())
            throw ApiException.badRequest("field " + where + ".tool_call_id must be a string");
        try {
            return new Message(role, content, calls, callId == null ? "" : callId.asText(""));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field " + where + ": " + e.getMessage());
        }
    }

    /** A string, or OpenAI's array of parts (the text parts joined). */
    private static String content(JsonNode c, String where) {
        if (c == null || c.isNull()) return "";
        if (c.isTextual()) return c.textValue();
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c)
                if (part.path("type").asText().equals("text"))
                    sb.append(part.path("text").asText());
            return sb.toString();
        }
        throw ApiException.badRequest("field " + where + " must be a string");
    }

    private static String prompt(JsonNode root) {
        JsonNode p = root.get("prompt");
        if (p == null || p.isNull()) throw ApiException.badRequest("missing required field: prompt");
        if (p.isTextual()) return p.textValue();
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual())
            return p.get(0).textValue();
        throw ApiException.badRequest("field prompt must be a string");
    }

    static int integer(JsonNode root, String field, int fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || !v.canConvertToInt())
            throw ApiException.badRequest("field " + field + " must be an integer");
        return v.intValue();
    }

    private static double number(JsonNode root, String field, double fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber()) throw ApiException.badRequest("field " + field + " must be a number");
        return v.doubleValue();
    }

    static boolean bool(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw ApiException.badRequest("field " + field + " must be a boolean");
        return v.booleanValue();
    }
}
