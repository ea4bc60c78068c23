package ai.lthn.ml.server;

import ai.lthn.ml.inference.EmbeddingModel;
import ai.lthn.ml.inference.Embeddings;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /v1/embeddings} in OpenAI's shapes: {@code input} a string or an array of strings,
 * {@code encoding_format} {@code float} (default) or {@code base64} (little-endian float32, as
 * OpenAI sends it), {@code usage} with the tokens the model counted. A model that is not an
 * {@link EmbeddingModel} gets 404; a field the model cannot honour ({@code dimensions}, token-id
 * inputs) is a 400 naming it.
 */
final class EmbeddingsRoute {
    private EmbeddingsRoute() {}

    static void handle(Call call, byte[] body, Settings settings) throws IOException {
        TextModel model = settings.model();
        String servedId = settings.modelId();
        if (!(model instanceof EmbeddingModel embedder))
            throw ApiException.notFound("the served model " + LogText.clip(servedId) + " has no embeddings");
        JsonNode root;
        try {
            root = Json.reader().readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid JSON body: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw ApiException.badRequest("the request body must be a JSON object");
        String requested = text(root, "model");
        boolean base64 = switch (text(root, "encoding_format")) {
            case "", "float" -> false;
            case "base64" -> true;
            default -> throw ApiException.badRequest("field encoding_format must be \"float\" or \"base64\"");
        };
        JsonNode dimensions = root.get("dimensions");
        if (dimensions != null && !dimensions.isNull())
            throw ApiException.badRequest("field dimensions is not supported by this server");
        List<String> inputs = inputs(root.get("input"));
        Embeddings result = embedder.embed(settings.upstreamModel(requested), inputs);
        if (result.vectors().size() != inputs.size())
            throw new ai.lthn.ml.MlException(
                    "the model returned " + result.vectors().size() + " vectors for " + inputs.size() + " inputs");

        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            float[] v = result.vectors().get(i);
            if (base64) e.put("embedding", base64(v));
            else {
                ArrayNode a = e.putArray("embedding");
                for (float f : v) a.add(f);
            }
        }
        out.put("model", requested.isEmpty() ? servedId : requested);
        out.putObject("usage").put("prompt_tokens", result.promptTokens()).put("total_tokens", result.promptTokens());
        call.json(200, out.toString());
    }

    private static List<String> inputs(JsonNode input) {
        if (input == null || input.isNull()) throw ApiException.badRequest("missing required field: input");
        if (input.isTextual()) return List.of(input.textValue());
        if (!input.isArray()) throw ApiException.badRequest("field input must be a string or an array of strings");
        if (input.isEmpty()) throw ApiException.badRequest("field input must not be empty");
        List<String> out = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode s = input.get(i);
            if (!s.isTextual())
                throw ApiException.badRequest(
                        "field input[" + i + "] must be a string (token-id inputs are not supported)");
            out.add(s.textValue());
        }
        return out;
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return "";
        if (!v.isTextual()) throw ApiException.badRequest("field " + field + " must be a string");
        return v.textValue();
    }

    /** OpenAI's base64 encoding: the float32 values, little-endian, base64. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return Base64.getEncoder().encodeToString(b.array());
    }
}
