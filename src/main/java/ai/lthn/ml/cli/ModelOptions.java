package ai.lthn.ml.cli;

import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.inference.Inference;
import ai.lthn.ml.inference.TextModel;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where a command's model comes from: an OpenAI-compatible server ({@code --api-url}, streamed
 * token by token) or a local model directory ({@code --model-path}, through the engine registry).
 * No private addresses as defaults (go-ml defaulted to one).
 */
final class ModelOptions {
    @Option(names = "--api-url", description = "OpenAI-compatible server to use, e.g. http://127.0.0.1:8080")
    String apiUrl;

    @Option(names = "--model", defaultValue = "default", description = "Model name (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--model-path", description = "Local model directory, loaded by an inference engine")
    Path modelPath;

    /** The served id: the model name. */
    String id() {
        return model;
    }

    /**
     * Opens the model.
     *
     * @param timeout the limit on one generation
     * @throws IllegalArgumentException if neither or both sources are given
     */
    TextModel open(Duration timeout) {
        boolean api = apiUrl != null && !apiUrl.isBlank();
        if (api == (modelPath != null)) throw new IllegalArgumentException("give one of --api-url or --model-path");
        if (modelPath != null) return Inference.loadModel(modelPath);
        return HttpBackend.builder(apiUrl, model).timeout(timeout).build().textModel();
    }
}
