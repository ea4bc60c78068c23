package ai.lthn.ml.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible upstream that answers by what the request asks for, in OpenAI's shapes:
 * a tool call when tools are given (streamed in fragments when asked), the answer to a tool turn,
 * JSON for a strict {@code json_schema}, log probabilities, and {@code n} choices. A request that
 * lacks what its answer depends on (a non-strict schema, a tool turn without its call id) gets a
 * 400, so a field dropped on the way fails the client's check.
 */
final class ScriptedUpstream extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        JsonNode req;
        try {
            req = JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return error("unreadable body");
        }
        boolean stream = req.path("stream").asBoolean(false);
        JsonNode messages = req.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        if (last.path("role").asText().equals("tool")) {
            JsonNode call = messages.get(messages.size() - 2).path("tool_calls").path(0);
            if (!last.path("tool_call_id").asText().equals(call.path("id").asText()) || call.isMissingNode())
                return error("the tool turn does not answer the assistant's call");
            return whole("{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"It is 21 degrees in Paris\"},"
                    + "\"finish_reason\":\"stop\"}");
        }
        if (req.has("tools")) {
            if (!req.path("tools").path(0).path("function").path("strict").asBoolean())
                return error("tools[0].function.strict was dropped");
            if (stream)
                return events(
                        chunk(
                                "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                                        + "\"id\":\"call_s\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                                        + "\"arguments\":\"\"}}]},\"finish_reason\":null}"),
                        chunk(
                                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\"}}]},"
                                        + "\"finish_reason\":null}"),
                        chunk(
                                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":\\\"Paris\\\"}\"}}]},"
                                        + "\"finish_reason\":null}"),
                        chunk("{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}"));
            if (!req.path("tool_choice").asText().equals("required")) return error("tool_choice was dropped");
            return whole(
                    "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                            + "\"finish_reason\":\"tool_calls\"}");
        }
        JsonNode format = req.path("response_format");
        if (format.path("type").asText().equals("json_schema")) {
            if (!format.path("json_schema").path("strict").asBoolean()
                    || !format.path("json_schema")
                            .path("schema")
                            .path("required")
                            .isArray()) return error("the json_schema arrived incomplete");
            return whole(
                    "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"city\\\":\\\"Paris\\\",\\\"temp\\\":21}\"},"
                            + "\"finish_reason\":\"stop\"}");
        }
        if (req.path("logprobs").asBoolean()) {
            int top = req.path("top_logprobs").asInt();
            return whole(
                    "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Sunny\"},\"logprobs\":{\"content\":["
                            + token("Sun", -0.1, top) + "," + token("ny", -0.02, top)
                            + "]},\"finish_reason\":\"stop\"}");
        }
        int n = req.path("n").asInt(1);
        StringBuilder choices = new StringBuilder();
        if (stream) {
            String[] chunks = new String[n * 2];
            for (int i = 0; i < n; i++) {
                chunks[i] = chunk("{\"index\":" + i + ",\"delta\":{\"role\":\"assistant\",\"content\":\"choice \"},"
                        + "\"finish_reason\":null}");
                chunks[n + i] =
                        chunk("{\"index\":" + i + ",\"delta\":{\"content\":\"" + i + "\"},\"finish_reason\":\"stop\"}");
            }
            return events(chunks);
        }
        for (int i = 0; i < n; i++)
            choices.append(i == 0 ? "" : ",")
                    .append("{\"index\":")
                    .append(i)
                    .append(",\"message\":{\"role\":\"assistant\",\"content\":\"choice ")
                    .append(i)
                    .append("\"},\"finish_reason\":\"stop\"}");
        return whole(choices.toString());
    }

    private static String token(String text, double logprob, int top) {
        StringBuilder alternatives = new StringBuilder();
        for (int i = 0; i < top; i++)
            alternatives
                    .append(i == 0 ? "" : ",")
                    .append("{\"token\":\"")
                    .append(i == 0 ? text : "alt" + i)
                    .append("\",\"logprob\":")
                    .append(logprob - i)
                    .append('}');
        return "{\"token\":\"" + text + "\",\"logprob\":" + logprob + ",\"top_logprobs\":[" + alternatives + "]}";
    }

    private static String chunk(String choice) {
        return "{\"id\":\"up-s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\",\"choices\":["
                + choice + "]}";
    }

    private static MockResponse whole(String choices) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"id\":\"up-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"up\",\"choices\":["
                        + choices + "],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}")
                .build();
    }

    private static MockResponse events(String... chunks) {
        StringBuilder sb = new StringBuilder();
        for (String c : chunks) sb.append("data: ").append(c).append("\n\n");
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream")
                .body(sb.append("data: [DONE]\n\n").toString())
                .build();
    }

    private static MockResponse error(String message) {
        return new MockResponse.Builder()
                .code(400)
                .addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}")
                .build();
    }
}
