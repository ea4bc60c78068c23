package ai.lthn.ml.cli;

import ai.lthn.ml.backend.HttpBackend;
import ai.lthn.ml.inference.Inference;
import ai.lthn.ml.inference.TextModel;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where a command's model comes from: an OpenAI-compatible server (the persistent {@code
 * --api-url}, streamed token by token) or a local model directory ({@code --model-path}, through
 * the engine registry). No private addresses as defaults (go-ml defaulted to one).
 */
final class ModelOptions {
    @Option(names = "--model-path", description = "Local model directory, loaded by an inference engine")
    Path modelPath;

    /**
     * The served id: {@code --model}, else "default".
     *
     * @param global the persistent options
     */
    String id(Main global) {
        return global.modelOr("default");
    }

    /**
     * Whether the model is a local one ({@code --model-path}) rather than a server.
     *
     * @param global the persistent options ({@code --api-url})
     * @throws IllegalArgumentException if neither or both sources are given
     */
    boolean local(Main global) {
        String apiUrl = global.apiUrl;
        boolean api = apiUrl != null && !apiUrl.isBlank();
        if (api == (modelPath != null)) throw new IllegalArgumentException("give one of --api-url or --model-path");
        return modelPath != null;
    }

    /**
     * Opens the model.
     *
     * @param global the persistent options ({@code --api-url}, {@code --model})
     * @param timeout the limit on one generation
     * @throws IllegalArgumentException if neither or both sources are given
     */
    TextModel open(Main global, Duration timeout) {
        return open(global, timeout, false);
    }

    /**
     * Opens the model; {@code emulateChoices}: an upstream asked for {@code n} choices gets {@code
     * n} calls of one each ({@link HttpBackend.Builder#emulateChoices}; a local model has no
     * upstream, and the caller refuses the flag for one).
     *
     * @param global the persistent options ({@code --api-url}, {@code --model})
     * @param timeout the limit on one generation
     * @param emulateChoices whether to emulate {@code n} (for an {@code --api-url} only)
     * @throws IllegalArgumentException if neither or both sources are given
     */
    TextModel open(Main global, Duration timeout, boolean emulateChoices) {
        if (local(global)) return Inference.loadModel(modelPath);
        return HttpBackend.builder(global.apiUrl, id(global))
                .timeout(timeout)
                .emulateChoices(emulateChoices)
                .build()
                .textModel();
    }
}
