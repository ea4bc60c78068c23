package ai.lthn.ml.cli;

import ai.lthn.ml.data.Inventory;
import ai.lthn.ml.data.LemDb;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code ml inventory}: row counts and notes for every table (go-ml's; read-only). */
@Command(name = "inventory", mixinStandardHelpOptions = true, description = "Row counts and details of every table.")
final class InventoryCommand extends ReadOnlyReport {
    @Override
    void print(LemDb db, PrintWriter out) {
        Inventory.print(db, out);
    }
}
