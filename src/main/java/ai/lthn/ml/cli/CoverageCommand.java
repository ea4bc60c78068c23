package ai.lthn.ml.cli;

import ai.lthn.ml.data.Coverage;
import ai.lthn.ml.data.LemDb;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code ml coverage}: seed coverage by region and domain (go-ml's; read-only). */
@Command(name = "coverage", mixinStandardHelpOptions = true, description = "Seed coverage by region and domain.")
final class CoverageCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db

    @Override
    public Integer call() {
        try (LemDb db = LemDb.openReadOnly(DataSupport.requireDb(spec, main))) {
            Coverage.print(db, spec.commandLine().getOut());
        }
        return 0;
    }
}
