package ai.lthn.ml.cli;

import ai.lthn.ml.data.Publish;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml publish}: upload the Parquet splits and the dataset card to a dataset hub (go-ml's). */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = "Upload <input-dir>/{train,valid,test}.parquet and ../dataset_card.md to a dataset hub.")
final class PublishCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--input-dir", required = true, description = "Directory with the .parquet splits")
    Path inputDir;

    @Option(
            names = "--repo",
            defaultValue = "lthn/LEM-golden-set",
            description = "Dataset repository (default ${DEFAULT-VALUE})")
    String repo;

    @Option(names = "--public", description = "Shown in the dry run (go-ml never sent it to the hub)")
    boolean isPublic;

    @Option(names = "--token", description = "Hub token (else env HF_TOKEN, else ~/.huggingface/token); never printed")
    String token;

    @Option(names = "--dry-run", description = "List what would be uploaded, upload nothing")
    boolean dryRun;

    @Option(
            names = "--endpoint",
            defaultValue = Publish.DEFAULT_ENDPOINT,
            description = "The hub's base URL (default ${DEFAULT-VALUE}, go-ml's)")
    String endpoint;

    @Override
    public Integer call() {
        String resolved = Publish.token(token, System.getenv(), Path.of(System.getProperty("user.home")));
        Publish.Config config;
        try {
            config = new Publish.Config(inputDir, repo, isPublic, resolved, dryRun, endpoint);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try {
            Publish.publish(config, spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return 0;
    }
}
