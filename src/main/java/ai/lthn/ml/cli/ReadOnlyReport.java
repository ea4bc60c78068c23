package ai.lthn.ml.cli;

import ai.lthn.ml.data.LemDb;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** A report printed from the database opened read-only ({@code inventory}, {@code coverage}, {@code expand-status}). */
abstract class ReadOnlyReport implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db

    /** Prints the report. */
    abstract void print(LemDb db, PrintWriter out);

    @Override
    public Integer call() {
        try (LemDb db = LemDb.openReadOnly(DataSupport.requireDb(spec, main))) {
            print(db, spec.commandLine().getOut());
        }
        return 0;
    }
}
