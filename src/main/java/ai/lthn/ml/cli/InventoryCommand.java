package ai.lthn.ml.cli;

import ai.lthn.ml.data.Inventory;
import ai.lthn.ml.data.LemDb;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code ml inventory}: row counts and notes for every table (go-ml's; read-only). */
@Command(name = "inventory", mixinStandardHelpOptions = true, description = "Row counts and details of every table.")
final class InventoryCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db

    @Override
    public Integer call() {
        try (LemDb db = LemDb.openReadOnly(DataSupport.requireDb(spec, main))) {
            Inventory.print(db, spec.commandLine().getOut());
        }
        return 0;
    }
}
