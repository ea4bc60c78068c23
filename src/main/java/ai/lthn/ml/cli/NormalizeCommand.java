package ai.lthn.ml.cli;

import ai.lthn.ml.data.LemDb;
import ai.lthn.ml.data.Normalize;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml normalize}: build {@code expansion_prompts} from the seeds (go-ml's). */
@Command(
        name = "normalize",
        mixinStandardHelpOptions = true,
        description = "Build expansion_prompts from the seeds: deduplicated, excluding prompts already answered.")
final class NormalizeCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db

    @Option(names = "--min-length", defaultValue = "50", description = "Least prompt length (default ${DEFAULT-VALUE})")
    int minLength;

    @Override
    public Integer call() {
        var path = DataSupport.requireDb(spec, main);
        try (LemDb db = LemDb.openReadWrite(path)) {
            Normalize.run(db, minLength, spec.commandLine().getOut());
        }
        return 0;
    }
}
