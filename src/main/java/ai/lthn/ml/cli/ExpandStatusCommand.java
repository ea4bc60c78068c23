package ai.lthn.ml.cli;

import ai.lthn.ml.data.ExpandStatus;
import ai.lthn.ml.data.LemDb;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code ml expand-status}: the expansion pipeline's progress (go-ml's; read-only). */
@Command(name = "expand-status", mixinStandardHelpOptions = true, description = "Progress of the expansion pipeline.")
final class ExpandStatusCommand extends ReadOnlyReport {
    @Override
    void print(LemDb db, PrintWriter out) {
        ExpandStatus.print(db, out);
    }
}
