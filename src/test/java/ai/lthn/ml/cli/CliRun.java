package ai.lthn.ml.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The outcome of one {@link Main#run} call with captured output, for command tests. */
record CliRun(int status, String out, String err) {

    /** Runs {@code ml} with these arguments. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }
}
