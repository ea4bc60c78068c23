package ai.lthn.ml.cli;

import ai.lthn.ml.MlException;
import ai.lthn.ml.format.PeftConversion;
import ai.lthn.ml.format.PeftConverter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml convert}: go-ml's MLX LoRA adapter → HuggingFace PEFT conversion (for Ollama). */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = "Convert MLX LoRA adapter to PEFT format",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:written", "1:missing flag, bad input or I/O failure (nothing half-written)", "2:usage"})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", description = "the MLX adapter (safetensors)")
    Path input;

    @Option(names = "--config", description = "the MLX adapter_config.json")
    Path config;

    @Option(names = "--output-dir", description = "where adapter_model.safetensors and adapter_config.json go")
    Path outputDir;

    @Option(names = "--base-model", defaultValue = "", description = "base_model_name_or_path to record")
    String baseModel;

    @Override
    public Integer call() {
        if (input == null || config == null || outputDir == null) {
            spec.commandLine().getErr().println("ml convert: --input, --config, and --output-dir are required");
            return 1;
        }
        try {
            PeftConversion r = PeftConverter.convert(input, config, outputDir, baseModel);
            spec.commandLine()
                    .getOut()
                    .println("PEFT adapter written to " + outputDir + " (" + r.tensors() + " tensors, "
                            + r.layers().size() + " layers, target modules " + r.targetModules() + ")");
            return 0;
        } catch (MlException e) {
            spec.commandLine().getErr().println("ml convert: convert to PEFT: " + e.getMessage());
            return 1;
        }
    }
}
