package ai.lthn.ml.server;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.Message;
import ai.lthn.ml.backend.ChatRequest;
import ai.lthn.ml.backend.ResponseFormat;
import ai.lthn.ml.backend.Tool;
import ai.lthn.ml.backend.ToolChoice;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI request fields beyond text generation: {@code n}, {@code logprobs}, {@code
 * top_logprobs}, the presence and frequency penalties, {@code user}, {@code response_format},
 * {@code tools}, {@code tool_choice}, {@code stop} and {@code seed}. An HTTP upstream gets them
 * all ({@link PassThrough}); a local model honours {@code user} and {@code stop} only, so a
 * request that sets another to anything but its default is refused with a 400 naming the fields
 * ({@link #refusedByLocal}), never silently dropped.
 *
 * @param set the fields set to something other than their default, in the request's order of
 *     this list; empty for a plain request
 * @param topP OpenAI's {@code top_p}, 0 when absent (every model takes it: not in {@code set})
 * @param topK {@code top_k} (llama.cpp's and vLLM's extension), 0 when absent (likewise)
 */
record RequestExtras(
        List<String> set,
        int n,
        boolean logprobs,
        int topLogprobs,
        Double presencePenalty,
        Double frequencyPenalty,
        String user,
        ResponseFormat responseFormat,
        List<Tool> tools,
        ToolChoice toolChoice,
        List<String> stop,
        Long seed,
        double topP,
        int topK) {

    /**
     * The fields a local model honours: {@code user} (an id with no effect on generation) and
     * {@code stop} (applied by the server, {@code StopStrings}).
     */
    private static final List<String> HARMLESS = List.of("user", "stop");

    /** The fields of a {@code /v1/completions} request refused outright (this server maps only chat). */
    private static final List<String> COMPLETION_FIELDS = List.of(
            "n",
            "logprobs",
            "top_logprobs",
            "presence_penalty",
            "frequency_penalty",
            "response_format",
            "tools",
            "tool_choice",
            "seed",
            "echo",
            "best_of",
            "suffix");

    static RequestExtras parse(JsonNode root, boolean chat) {
        List<String> set = new ArrayList<>();
        if (!chat) {
            for (String f : COMPLETION_FIELDS) {
                JsonNode v = root.get(f);
                if (v != null && !v.isNull() && !isDefault(f, v)) set.add(f);
            }
            if (!set.isEmpty())
                throw ApiException.badRequest("field " + String.join(", ", set)
                        + " is not supported on /v1/completions by this server; use /v1/chat/completions");
            List<String> stop = stop(root.get("stop")); // applied by the server on this path
            return new RequestExtras(
                    List.of(), 1, false, 0, null, null, "", null, List.of(), null, stop, null, topP(root), topK(root));
        }
        int n = GenerationRequest.integer(root, "n", 1);
        if (n < 1 || n > 128) throw ApiException.badRequest("field n must be 1 to 128: " + n);
        if (n != 1) set.add("n");
        boolean logprobs = GenerationRequest.bool(root, "logprobs");
        if (logprobs) set.add("logprobs");
        int top = GenerationRequest.integer(root, "top_logprobs", 0);
        if (top < 0 || top > 20) throw ApiException.badRequest("field top_logprobs must be 0 to 20: " + top);
        if (top > 0 && !logprobs) throw ApiException.badRequest("field top_logprobs needs logprobs: true");
        if (top > 0) set.add("top_logprobs");
        Double presence = penalty(root, "presence_penalty", set);
        Double frequency = penalty(root, "frequency_penalty", set);
        String user = "";
        JsonNode u = root.get("user");
        if (u != null && !u.isNull()) {
            if (!u.isTextual()) throw ApiException.badRequest("field user must be a string");
            user = u.textValue();
            if (!user.isEmpty()) set.add("user");
        }
        ResponseFormat format = responseFormat(root.get("response_format"));
        if (format != null && !(format instanceof ResponseFormat.Text)) set.add("response_format");
        List<Tool> tools = tools(root.get("tools"));
        if (!tools.isEmpty()) set.add("tools");
        ToolChoice choice = toolChoice(root.get("tool_choice"));
        if (choice != null && !ToolChoice.NONE.equals(choice) && !(ToolChoice.AUTO.equals(choice) && tools.isEmpty()))
            set.add("tool_choice");
        List<String> stop = stop(root.get("stop"));
        if (!stop.isEmpty()) set.add("stop");
        Long seed = null;
        JsonNode s = root.get("seed");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToLong())
                throw ApiException.badRequest("field seed must be an integer");
            seed = s.longValue();
            set.add("seed");
        }
        return new RequestExtras(
                List.copyOf(set),
                n,
                logprobs,
                top,
                presence,
                frequency,
                user,
                format,
                tools,
                choice,
                stop,
                seed,
                topP(root),
                topK(root));
    }

    private static boolean isDefault(String field, JsonNode v) {
        return switch (field) {
            case "n", "best_of" -> v.isIntegralNumber() && v.intValue() == 1;
            case "logprobs", "echo" -> v.isBoolean() && !v.booleanValue() || v.isIntegralNumber() && v.intValue() == 0;
            case "presence_penalty", "frequency_penalty", "top_logprobs" -> v.isNumber() && v.doubleValue() == 0;
            case "tools" -> v.isArray() && v.isEmpty();
            case "response_format" -> v.path("type").asText().equals("text");
            case "tool_choice" -> v.isTextual() && v.textValue().equals("none");
            case "suffix" -> v.isTextual() && v.textValue().isEmpty();
            default -> false;
        };
    }

    /**
     * The fields a local model cannot honour, with the messages that carry tool calls or answer
     * them; empty when it can serve the request.
     */
    List<String> refusedByLocal(List<Message> messages) {
        List<String> out = new ArrayList<>();
        for (String f : set) if (!HARMLESS.contains(f)) out.add(f);
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (!m.toolCalls().isEmpty()) out.add("messages[" + i + "].tool_calls");
            if (!m.toolCallId().isEmpty()) out.add("messages[" + i + "].tool_call_id");
        }
        return out;
    }

    /** Whether the request needs the upstream's rich API: a field beyond plain text, or tool turns. */
    boolean rich(List<Message> messages) {
        if (!set.isEmpty()) return true;
        for (Message m : messages)
            if (!m.toolCalls().isEmpty() || !m.toolCallId().isEmpty()) return true;
        return false;
    }

    /** The call for an HTTP upstream; {@code model} is the request's (empty: the backend's own). */
    ChatRequest toChatRequest(List<Message> messages, int maxTokens, float temperature, String model) {
        try {
            return ChatRequest.builder(messages)
                    .options(GenOpts.builder()
                            .temperature(temperature)
                            .maxTokens(maxTokens)
                            .model(model)
                            .stop(stop)
                            .seed(seed)
                            .topP(topP)
                            .topK(topK)
                            .build())
                    .n(n)
                    .logprobs(logprobs)
                    .topLogprobs(topLogprobs)
                    .presencePenalty(presencePenalty)
                    .frequencyPenalty(frequencyPenalty)
                    .user(user)
                    .responseFormat(responseFormat)
                    .tools(tools)
                    .toolChoice(toolChoice)
                    .build();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static double topP(JsonNode root) {
        JsonNode v = root.get("top_p");
        if (v == null || v.isNull()) return 0;
        if (!v.isNumber() || !(v.doubleValue() >= 0 && v.doubleValue() <= 1))
            throw ApiException.badRequest("field top_p must be a number in [0, 1]");
        return v.doubleValue();
    }

    private static int topK(JsonNode root) {
        int k = GenerationRequest.integer(root, "top_k", 0);
        if (k < 0) throw ApiException.badRequest("field top_k must not be negative: " + k);
        return k;
    }

    private static Double penalty(JsonNode root, String field, List<String> set) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) throw ApiException.badRequest("field " + field + " must be a number");
        double d = v.doubleValue();
        if (!(d >= -2 && d <= 2)) throw ApiException.badRequest("field " + field + " must be in [-2, 2]: " + d);
        if (d != 0) set.add(field);
        return d;
    }

    private static ResponseFormat responseFormat(JsonNode f) {
        if (f == null || f.isNull()) return null;
        if (!f.isObject()) throw ApiException.badRequest("field response_format must be an object");
        String type = f.path("type").asText("");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> {
                JsonNode js = f.get("json_schema");
                if (js == null || !js.isObject())
                    throw ApiException.badRequest("field response_format.json_schema must be an object");
                JsonNode name = js.get("name");
                if (name == null || !name.isTextual())
                    throw ApiException.badRequest("missing required field: response_format.json_schema.name");
                JsonNode schema = js.get("schema");
                if (schema == null || !schema.isObject())
                    throw ApiException.badRequest("field response_format.json_schema.schema must be an object");
                try {
                    yield ResponseFormat.jsonSchema(
                            name.textValue(),
                            schema.toString(),
                            js.path("strict").asBoolean(false));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("field response_format.json_schema: " + e.getMessage());
                }
            }
            default ->
                throw ApiException.badRequest(
                        "field response_format.type must be text, json_object or json_schema: " + LogText.clip(type));
        };
    }

    private static List<Tool> tools(JsonNode list) {
        if (list == null || list.isNull()) return List.of();
        if (!list.isArray()) throw ApiException.badRequest("field tools must be an array");
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "tools[" + i + "]";
            JsonNode t = list.get(i);
            if (!t.isObject() || !t.path("type").asText().equals("function"))
                throw ApiException.badRequest("field " + where + " must be an object of type function");
            JsonNode f = t.get("function");
            if (f == null || !f.isObject())
                throw ApiException.badRequest("field " + where + ".function must be an object");
            JsonNode name = f.get("name");
            if (name == null || !name.isTextual())
                throw ApiException.badRequest("missing required field: " + where + ".function.name");
            JsonNode params = f.get("parameters");
            if (params != null && !params.isNull() && !params.isObject())
                throw ApiException.badRequest("field " + where + ".function.parameters must be an object");
            try {
                out.add(new Tool(
                        name.textValue(),
                        f.path("description").asText(""),
                        params == null || params.isNull()
                                ? "{\"type\":\"object\",\"properties\":{}}"
                                : params.toString(),
                        f.path("strict").asBoolean(false)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("field " + where + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode c) {
        if (c == null || c.isNull()) return null;
        try {
            if (c.isTextual()) return new ToolChoice.Mode(c.textValue());
            if (c.isObject() && c.path("function").path("name").isTextual())
                return ToolChoice.function(c.path("function").path("name").textValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field " + e.getMessage());
        }
        throw ApiException.badRequest(
                "field tool_choice must be \"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}");
    }

    private static List<String> stop(JsonNode s) {
        if (s == null || s.isNull()) return List.of();
        if (s.isTextual()) return s.textValue().isEmpty() ? List.of() : List.of(s.textValue());
        if (!s.isArray()) throw ApiException.badRequest("field stop must be a string or an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode v : s) {
            if (!v.isTextual()) throw ApiException.badRequest("field stop must be a string or an array of strings");
            if (!v.textValue().isEmpty()) out.add(v.textValue());
        }
        return out;
    }
}
