package ai.lthn.ml.cli;

import ai.lthn.ml.data.Coverage;
import ai.lthn.ml.data.LemDb;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code ml coverage}: seed coverage by region and domain (go-ml's; read-only). */
@Command(name = "coverage", mixinStandardHelpOptions = true, description = "Seed coverage by region and domain.")
final class CoverageCommand extends ReadOnlyReport {
    @Override
    void print(LemDb db, PrintWriter out) {
        Coverage.print(db, out);
    }
}
