package ai.lthn.ml.backend;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.ToolCall;
import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAI chat wire format of the rich API: a {@link ChatRequest} as request JSON, and
 * {@code chat.completion} objects and {@code chat.completion.chunk} events back into
 * {@link ChatResult}s and {@link ChatDelta}s. (The string API's hot path decodes with
 * {@link ChatChunk}'s streaming parser instead.)
 */
final class OpenAiWire {
    private OpenAiWire() {}

    /** The fields of the string API: model, messages, sampling options, stream. */
    static ObjectNode request(
            String model, int defaultMaxTokens, List<Message> messages, GenOpts opts, boolean stream) {
        ObjectNode req = Json.object();
        req.put("model", opts.model().isEmpty() ? model : opts.model());
        ArrayNode msgs = req.putArray("messages");
        for (Message m : messages) message(msgs.addObject(), m);
        return options(req, defaultMaxTokens, opts, stream);
    }

    /** A {@code /v1/completions} request: {@code prompt} as it is (no chat template), the same options. */
    static ObjectNode completionRequest(
            String model, int defaultMaxTokens, String prompt, GenOpts opts, boolean stream) {
        ObjectNode req = Json.object();
        req.put("model", opts.model().isEmpty() ? model : opts.model());
        req.put("prompt", prompt);
        return options(req, defaultMaxTokens, opts, stream);
    }

    /** The generation options after the model and the input, OpenAI's names; defaults left out. */
    private static ObjectNode options(ObjectNode req, int defaultMaxTokens, GenOpts opts, boolean stream) {
        req.put("temperature", opts.temperature());
        int tokens = opts.maxTokens() > 0 ? opts.maxTokens() : defaultMaxTokens;
        if (tokens > 0) req.put("max_tokens", tokens);
        if (opts.topK() > 0) req.put("top_k", opts.topK());
        if (opts.topP() > 0) req.put("top_p", opts.topP());
        if (opts.repeatPenalty() > 0) req.put("repeat_penalty", opts.repeatPenalty());
        if (opts.jsonMode()) req.putObject("response_format").put("type", "json_object");
        if (!opts.stop().isEmpty()) opts.stop().forEach(req.putArray("stop")::add);
        if (opts.seed() != null) req.put("seed", opts.seed());
        if (stream) {
            req.put("stream", true);
            req.putObject("stream_options").put("include_usage", true);
        }
        return req;
    }

    /** The string API's fields plus the rich ones, OpenAI's names; defaults are left out. */
    static ObjectNode request(String model, int defaultMaxTokens, ChatRequest r, int n, boolean stream) {
        ObjectNode req = request(model, defaultMaxTokens, r.messages(), r.options(), stream);
        if (n != 1) req.put("n", n);
        if (r.logprobs()) req.put("logprobs", true);
        if (r.topLogprobs() > 0) req.put("top_logprobs", r.topLogprobs());
        if (r.presencePenalty() != null) req.put("presence_penalty", r.presencePenalty());
        if (r.frequencyPenalty() != null) req.put("frequency_penalty", r.frequencyPenalty());
        if (!r.user().isEmpty()) req.put("user", r.user());
        if (r.responseFormat() != null) req.set("response_format", responseFormat(r.responseFormat()));
        if (!r.tools().isEmpty()) {
            ArrayNode tools = req.putArray("tools");
            for (Tool t : r.tools()) {
                ObjectNode f = tools.addObject().put("type", "function").putObject("function");
                f.put("name", t.name());
                if (!t.description().isEmpty()) f.put("description", t.description());
                f.set("parameters", JsonText.object(t.parameters(), "parameters of tool " + t.name()));
                if (t.strict()) f.put("strict", true);
            }
        }
        if (r.toolChoice() != null) req.set("tool_choice", toolChoice(r.toolChoice()));
        return req;
    }

    static byte[] bytes(ObjectNode req) {
        try {
            return Json.writer().writeValueAsBytes(req);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request", e);
        }
    }

    private static void message(ObjectNode out, Message m) {
        out.put("role", m.role());
        if (m.content().isEmpty() && !m.toolCalls().isEmpty()) out.putNull("content");
        else out.put("content", m.content());
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = out.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
            }
        }
        if (!m.toolCallId().isEmpty()) out.put("tool_call_id", m.toolCallId());
    }

    private static JsonNode responseFormat(ResponseFormat f) {
        ObjectNode out = Json.object();
        if (f instanceof ResponseFormat.Text) out.put("type", "text");
        else if (f instanceof ResponseFormat.JsonObject) out.put("type", "json_object");
        else if (f instanceof ResponseFormat.JsonSchema s) {
            out.put("type", "json_schema");
            ObjectNode js = out.putObject("json_schema").put("name", s.name());
            js.set("schema", JsonText.object(s.schema(), "json_schema " + s.name()));
            if (s.strict()) js.put("strict", true);
        }
        return out;
    }

    private static JsonNode toolChoice(ToolChoice c) {
        if (c instanceof ToolChoice.Mode m) return Json.object().textNode(m.wire());
        ObjectNode out = Json.object().put("type", "function");
        out.putObject("function").put("name", ((ToolChoice.Function) c).name());
        return out;
    }

    static JsonNode tree(byte[] json) {
        try {
            JsonNode node = Json.reader().readTree(json);
            if (node == null || !node.isObject()) throw new MlException("unmarshal response: not a JSON object");
            return node;
        } catch (IOException e) {
            throw new MlException("unmarshal response: " + e.getMessage(), e);
        }
    }

    /** A whole {@code chat.completion} (or legacy completion) object. */
    static ChatResult result(JsonNode root) {
        String error = error(root);
        if (error != null) throw new MlException("server error: " + error);
        JsonNode choices = root.path("choices");
        if (!choices.isArray() || choices.isEmpty()) throw new MlException("no choices in response");
        Assembler a = new Assembler();
        a.meta(root);
        for (JsonNode c : choices) a.add(delta(c, c.path("message")));
        return a.result();
    }

    /**
     * A server that answered a non-streamed call with an event stream: its events assembled as a
     * stream's would be.
     */
    static ChatResult resultOfEvents(byte[] reply) {
        Assembler a = new Assembler();
        for (byte[] data : dataEvents(reply)) {
            JsonNode root = tree(data);
            String error = error(root);
            if (error != null) throw new MlException("server error: " + error);
            a.meta(root);
            deltas(root).forEach(a::add);
        }
        if (a.empty())
            throw new MlException(
                    "the server answered a non-streaming request with an event stream holding no choices");
        return a.result();
    }

    /**
     * The {@code data:} payloads of a whole event-stream body, in order, without the empty ones and
     * {@code [DONE]}: what a server that streams a non-streaming request sent.
     */
    static List<byte[]> dataEvents(byte[] reply) {
        List<byte[]> out = new ArrayList<>();
        for (String line : new String(reply, java.nio.charset.StandardCharsets.UTF_8).split("\r?\n")) {
            if (!line.startsWith("data:")) continue;
            String data = line.substring(5).strip();
            if (!data.isEmpty() && !data.equals("[DONE]"))
                out.add(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The steps one {@code chat.completion.chunk} event adds, one per choice it carries. */
    static List<ChatDelta> deltas(JsonNode root) {
        List<ChatDelta> out = new ArrayList<>();
        for (JsonNode c : root.path("choices")) out.add(delta(c, c.has("delta") ? c.path("delta") : c.path("message")));
        return out;
    }

    static String error(JsonNode root) {
        JsonNode e = root.get("error");
        if (e == null || e.isNull()) return null;
        if (e.isTextual()) return e.textValue();
        return e.path("message").asText("error");
    }

    private static ChatDelta delta(JsonNode choice, JsonNode body) {
        String content = body.path("content").isTextual()
                ? body.path("content").textValue()
                : choice.path("text").asText("");
        List<ToolCallDelta> calls = new ArrayList<>();
        int position = 0;
        for (JsonNode tc : body.path("tool_calls")) {
            JsonNode f = tc.path("function");
            calls.add(new ToolCallDelta(
                    tc.path("index").asInt(position),
                    text(tc.get("id")),
                    text(f.get("name")),
                    text(f.get("arguments"))));
            position++;
        }
        return new ChatDelta(
                choice.path("index").asInt(0),
                content,
                calls,
                logprobs(choice.path("logprobs").path("content")),
                FinishReason.fromWire(text(choice.get("finish_reason"))));
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static List<TokenLogprob> logprobs(JsonNode content) {
        if (!content.isArray()) return List.of();
        List<TokenLogprob> out = new ArrayList<>(content.size());
        for (JsonNode t : content) {
            List<TokenLogprob> top = new ArrayList<>();
            for (JsonNode alt : t.path("top_logprobs"))
                top.add(new TokenLogprob(
                        alt.path("token").asText(""), alt.path("logprob").asDouble(), List.of()));
            out.add(new TokenLogprob(
                    t.path("token").asText(""), t.path("logprob").asDouble(), top));
        }
        return out;
    }

    /**
     * Builds a result from steps: each choice's text concatenated, its tool calls assembled from
     * fragments keyed by index (arguments concatenated), its log probabilities appended.
     */
    static final class Assembler {
        private final Map<Integer, Choice> choices = new TreeMap<>();
        private String id = "";
        private String model = "";
        private Usage usage = Usage.UNKNOWN;

        /** Usage reported by earlier calls (n emulated by several calls), added to this one's. */
        private Usage earlier = Usage.UNKNOWN;

        /** The next call of an emulated {@code n} begins: the usage so far is kept aside to be summed. */
        void nextCall() {
            earlier = earlier.plus(usage);
            usage = Usage.UNKNOWN;
        }

        void meta(JsonNode root) {
            if (id.isEmpty() && root.path("id").isTextual())
                id = root.path("id").textValue();
            if (model.isEmpty() && root.path("model").isTextual())
                model = root.path("model").textValue();
            JsonNode u = root.get("usage");
            if (u != null && u.isObject())
                usage = new Usage(
                        u.path("prompt_tokens").asInt(-1),
                        u.path("completion_tokens").asInt(-1));
        }

        void add(ChatDelta d) {
            Choice c = choices.computeIfAbsent(d.index(), i -> new Choice());
            c.text.append(d.content());
            c.logprobs.addAll(d.logprobs());
            for (ToolCallDelta t : d.toolCalls()) {
                String[] call = c.calls.computeIfAbsent(t.index(), i -> new String[] {"", "", ""});
                if (!t.id().isEmpty()) call[0] = t.id();
                if (!t.name().isEmpty()) call[1] = t.name();
                call[2] += t.arguments();
            }
            if (d.finished()) c.finish = d.finishReason();
        }

        /** Shifts choice indexes (n emulated by several calls). */
        void addShifted(ChatResult r, int offset) {
            for (ChatChoice c : r.choices()) {
                Choice into = choices.computeIfAbsent(c.index() + offset, i -> new Choice());
                into.text.append(c.text());
                into.logprobs.addAll(c.logprobs());
                for (ToolCall t : c.toolCalls())
                    into.calls.put(into.calls.size(), new String[] {t.id(), t.name(), t.arguments()});
                into.finish = c.finishReason();
            }
            if (id.isEmpty()) id = r.id();
            if (model.isEmpty()) model = r.model();
            usage = usage.plus(r.usage());
        }

        boolean empty() {
            return choices.isEmpty();
        }

        ChatResult result() {
            List<ChatChoice> out = new ArrayList<>();
            for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
                Choice c = e.getValue();
                List<ToolCall> calls = new ArrayList<>();
                for (String[] t : c.calls.values()) calls.add(new ToolCall(t[0], t[1], t[2]));
                out.add(new ChatChoice(e.getKey(), c.text.toString(), c.finish, calls, c.logprobs));
            }
            if (out.isEmpty()) throw new MlException("no choices in response");
            return new ChatResult(id, model, out, earlier.plus(usage));
        }

        private static final class Choice {
            final StringBuilder text = new StringBuilder();
            final List<TokenLogprob> logprobs = new ArrayList<>();
            final Map<Integer, String[]> calls = new TreeMap<>();
            FinishReason finish = FinishReason.UNKNOWN;
        }
    }
}
