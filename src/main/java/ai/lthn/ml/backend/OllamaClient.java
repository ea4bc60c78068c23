package ai.lthn.ml.backend;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.HttpBodies;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Temporary Ollama models built from PEFT (LoRA) adapters, as go-ml's {@code ollama.go}: upload
 * the adapter's two files as blobs by SHA-256 digest, create a model from a base model plus the
 * adapter (following Ollama's NDJSON progress stream), and delete it afterwards. Error messages
 * are go-ml's.
 *
 * <p>Better than go-ml: files are hashed and uploaded as streams, never read whole into memory;
 * progress lines can be observed.
 */
public final class OllamaClient {
    /** Model tags to Ollama base models (go-ml's {@code OllamaBaseModelMap}). */
    public static final Map<String, String> BASE_MODELS = Map.of(
            "gemma-3-1b", "gemma3:1b",
            "gemma-3-4b", "gemma3:4b",
            "gemma-3-12b", "gemma3:12b",
            "gemma-3-27b", "gemma3:27b");

    /** Model tags to Hugging Face model ids (go-ml's {@code HFBaseModelMap}). */
    public static final Map<String, String> HF_BASE_MODELS = Map.of(
            "gemma-3-1b", "google/gemma-3-1b-it",
            "gemma-3-4b", "google/gemma-3-4b-it",
            "gemma-3-12b", "google/gemma-3-12b-it",
            "gemma-3-27b", "google/gemma-3-27b-it");

    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final Duration BLOB_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final OkHttpClient client;

    private OllamaClient(String baseUrl, OkHttpClient client) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.client = client;
    }

    /**
     * A client for the Ollama server at {@code baseUrl}.
     *
     * @param baseUrl the server URL; a trailing slash is dropped
     * @return a client for the Ollama server at {@code baseUrl}
     */
    public static OllamaClient create(String baseUrl) {
        return new OllamaClient(Objects.requireNonNull(baseUrl, "baseUrl"), ai.lthn.ml.internal.HttpClients.shared());
    }

    /** A client using {@code client} (not closed here). */
    static OllamaClient create(String baseUrl, OkHttpClient client) {
        return new OllamaClient(Objects.requireNonNull(baseUrl, "baseUrl"), Objects.requireNonNull(client, "client"));
    }

    /**
     * The digest Ollama names a blob by: {@code sha256:<hex>}, computed as a stream.
     *
     * @param file the file to hash
     * @return the digest Ollama names a blob by: {@code sha256:<hex>}, computed as a stream
     */
    public static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new MlIOException("read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Uploads {@code file} to the blob store unless the server has it already.
     *
     * @return the blob's digest, {@code sha256:<hex>}
     * @param file the file to upload
     */
    public String uploadBlob(Path file) {
        String digest = digest(file);
        String url = baseUrl + "/api/blobs/" + digest;
        try (Response head = call(new Request.Builder().url(url).head().build(), BLOB_TIMEOUT)
                .execute()) {
            if (head.code() == 200) return digest;
        } catch (IOException e) {
            // go-ml treats a failed HEAD as "not there yet" and uploads
        }
        Request post = new Request.Builder()
                .url(url)
                .post(RequestBody.create(file.toFile(), OCTETS))
                .build();
        try (Response r = call(post, BLOB_TIMEOUT).execute()) {
            if (r.code() != 201 && r.code() != 200) {
                String body = HttpBodies.text(r.body(), HttpBodies.ERROR_TEXT_BYTES);
                throw new HttpStatusException("blob upload HTTP " + r.code() + ": " + body, r.code(), body);
            }
            return digest;
        } catch (IOException e) {
            throw new MlIOException("blob upload: " + e.getMessage(), e);
        }
    }

    /**
     * Creates model {@code name} from {@code baseModel} plus the PEFT adapter in {@code peftDir}
     * ({@code adapter_model.safetensors} and {@code adapter_config.json}).
     *
     * @param name the name
     * @param baseModel the base model
     * @param peftDir the peft dir
     */
    public void createModel(String name, String baseModel, Path peftDir) {
        createModel(name, baseModel, peftDir, status -> {});
    }

    /**
     * {@link #createModel(String, String, Path)}, passing each progress status to {@code progress}.
     *
     * @param name the name
     * @param baseModel the base model
     * @param peftDir the peft dir
     * @param progress the progress
     */
    public void createModel(String name, String baseModel, Path peftDir, Consumer<String> progress) {
        String modelDigest;
        try {
            modelDigest = uploadBlob(peftDir.resolve("adapter_model.safetensors"));
        } catch (MlException e) {
            throw new MlException("upload adapter safetensors: " + e.getMessage(), e);
        }
        String configDigest;
        try {
            configDigest = uploadBlob(peftDir.resolve("adapter_config.json"));
        } catch (MlException e) {
            throw new MlException("upload adapter config: " + e.getMessage(), e);
        }
        ObjectNode req = Json.object();
        ObjectNode adapters = req.putObject("adapters");
        adapters.put("adapter_config.json", configDigest);
        adapters.put("adapter_model.safetensors", modelDigest);
        req.put("from", baseModel);
        req.put("model", name);
        Request post = new Request.Builder()
                .url(baseUrl + "/api/create")
                .post(RequestBody.create(req.toString().getBytes(StandardCharsets.UTF_8), JSON_TYPE))
                .build();
        try (Response r = call(post, CREATE_TIMEOUT).execute();
                InputStream in = r.body().byteStream();
                MappingIterator<JsonNode> lines =
                        Json.reader().forType(JsonNode.class).readValues(in)) {
            while (lines.hasNextValue()) {
                JsonNode status = lines.nextValue();
                String error = status.path("error").asText("");
                if (!error.isEmpty()) throw new MlException("ollama create: " + error);
                String s = status.path("status").asText("");
                if (!s.isEmpty()) progress.accept(s);
                if (s.equals("success")) return;
            }
            if (r.code() != 200) throw new HttpStatusException("ollama create: HTTP " + r.code(), r.code(), "");
        } catch (IOException e) {
            throw new MlIOException("ollama create decode: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes model {@code name}.
     *
     * @param name the name
     */
    public void deleteModel(String name) {
        byte[] body = Json.object().put("model", name).toString().getBytes(StandardCharsets.UTF_8);
        Request delete = new Request.Builder()
                .url(baseUrl + "/api/delete")
                .delete(RequestBody.create(body, JSON_TYPE))
                .build();
        try (Response r = call(delete, DELETE_TIMEOUT).execute()) {
            if (r.code() != 200) {
                String text = HttpBodies.text(r.body(), HttpBodies.ERROR_TEXT_BYTES);
                throw new HttpStatusException("ollama delete " + r.code() + ": " + text, r.code(), text);
            }
        } catch (IOException e) {
            throw new MlIOException("ollama delete: " + e.getMessage(), e);
        }
    }

    private Call call(Request request, Duration timeout) {
        Call c = client.newCall(request);
        c.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return c;
    }
}
