package ai.lthn.ml.cli;

import ai.lthn.ml.data.ExpandStatus;
import ai.lthn.ml.data.LemDb;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code ml expand-status}: the expansion pipeline's progress (go-ml's; read-only). */
@Command(name = "expand-status", mixinStandardHelpOptions = true, description = "Progress of the expansion pipeline.")
final class ExpandStatusCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db

    @Override
    public Integer call() {
        try (LemDb db = LemDb.openReadOnly(DataSupport.requireDb(spec, main))) {
            ExpandStatus.print(db, spec.commandLine().getOut());
        }
        return 0;
    }
}
