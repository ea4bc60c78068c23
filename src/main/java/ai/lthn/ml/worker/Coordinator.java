package ai.lthn.ml.worker;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.HttpBodies;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The LEM coordinator's HTTP API as go-ml's worker speaks it: a bearer key on every call, JSON
 * bodies, 15 s per call, {@code HTTP <code>: <first 200 bytes>...} for any status of 400 or more.
 * Query values are URL-encoded (go-ml appended them raw).
 */
final class Coordinator {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final HttpUrl base;
    private final String apiKey;
    private final OkHttpClient client;

    Coordinator(String apiBase, String apiKey, OkHttpClient shared) {
        HttpUrl url = HttpUrl.parse(apiBase.replaceAll("/+$", ""));
        if (url == null) throw new IllegalArgumentException("--api is not an http(s) URL: " + apiBase);
        this.base = url;
        this.apiKey = apiKey == null ? "" : apiKey;
        this.client = shared.newBuilder().callTimeout(TIMEOUT).build();
    }

    HttpUrl url(String path) {
        return base.newBuilder().addPathSegments(path).build();
    }

    HttpUrl.Builder urlBuilder(String path) {
        return base.newBuilder().addPathSegments(path);
    }

    JsonNode send(String method, HttpUrl url, ObjectNode body) {
        Request.Builder r = new Request.Builder().url(url).header("Authorization", "Bearer " + apiKey);
        RequestBody payload = body == null ? null : RequestBody.create(body.toString(), JSON_TYPE);
        r.method(method, payload);
        try (Response resp = client.newCall(r.build()).execute()) {
            byte[] bytes = HttpBodies.bytes(resp.body(), 16L * 1024 * 1024, method + " " + url.encodedPath());
            if (resp.code() >= 400) {
                String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
                throw new HttpStatusException("HTTP " + resp.code() + ": " + shown, resp.code(), text);
            }
            if (bytes.length == 0) return Json.object();
            try {
                return Json.goTree(bytes, 0, bytes.length);
            } catch (IOException notJson) {
                return Json.object(); // acknowledgements may carry anything; only poll needs a body
            }
        } catch (IOException e) {
            throw new MlIOException(method + " " + url.encodedPath() + ": " + e.getMessage(), e);
        }
    }
}
