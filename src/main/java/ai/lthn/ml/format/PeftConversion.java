package ai.lthn.ml.format;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PeftConverter#convert} wrote.
 *
 * @param modelFile {@code adapter_model.safetensors}
 * @param configFile {@code adapter_config.json}
 * @param tensors how many tensors the model file holds
 * @param layers the layer numbers found in the MLX keys, ascending
 * @param targetModules the LoRA target modules, sorted
 */
public record PeftConversion(
        Path modelFile, Path configFile, int tensors, List<Long> layers, List<String> targetModules) {
    /**
     * Validates and copies.
     *
     * @param modelFile the written {@code adapter_model.safetensors}; not {@code null}
     * @param configFile the written {@code adapter_config.json}; not {@code null}
     * @param tensors how many tensors the model file holds; zero or positive
     * @param layers the layer numbers, ascending; copied
     * @param targetModules the LoRA target modules, sorted; copied
     * @throws NullPointerException if a file or list is {@code null}
     * @throws IllegalArgumentException if {@code tensors} is negative
     */
    public PeftConversion {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(configFile, "configFile");
        if (tensors < 0) throw new IllegalArgumentException("tensors " + tensors);
        layers = List.copyOf(layers);
        targetModules = List.copyOf(targetModules);
    }
}
