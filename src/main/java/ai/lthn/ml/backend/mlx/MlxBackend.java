package ai.lthn.ml.backend.mlx;

import ai.lthn.ml.MlException;
import ai.lthn.ml.backend.InferenceAdapter;
import ai.lthn.ml.inference.Inference;
import ai.lthn.ml.inference.LoadOption;
import ai.lthn.ml.inference.TextModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** go-ml's {@code NewMLXBackend}: a model loaded by the "metal" engine, as a Backend named "mlx". */
public final class MlxBackend {
    private static final Logger LOG = LoggerFactory.getLogger(MlxBackend.class);

    private MlxBackend() {}

    /**
     * Loads {@code modelPath} with the {@value MlxEngine#NAME} engine and wraps it.
     *
     *
     * @param modelPath the model path
     * @param options the options, applied in order
     * @return the model as a {@code Backend}; close it to free the model
     * @throws MlException "mlx: ..." when the engine cannot load it (on any platform but macOS
     *     arm64: "unsupported platform")
     */
    public static InferenceAdapter load(Path modelPath, LoadOption... options) {
        List<LoadOption> all = new ArrayList<>(List.of(options));
        all.add(LoadOption.engine(MlxEngine.NAME));
        TextModel model;
        try {
            model = Inference.loadModel(modelPath, all.toArray(LoadOption[]::new));
        } catch (MlException e) {
            throw new MlException("mlx: " + e.getMessage(), e);
        }
        var info = model.info();
        LOG.info("mlx model loaded: {} ({} layers, {}-bit)", info.architecture(), info.numLayers(), info.quantBits());
        return InferenceAdapter.builder(model).name("mlx").build();
    }
}
