package ai.lthn.ml.cli;

import ai.lthn.ml.data.Approve;
import ai.lthn.ml.data.LemDb;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml approve}: export the approved expansion responses as training examples (go-ml's). */
@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = "Write the expansion responses that passed scoring as training JSONL.")
final class ApproveCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    Main main; // --db

    @Option(names = "--output", description = "Output JSONL (default <db dir>/expansion-approved.jsonl)")
    Path output;

    @Option(
            names = "--threshold",
            description =
                    "Keep only heuristic_score >= this (go-ml accepted 6.0 and ignored it; unset: no extra filter)")
    Double threshold;

    @Override
    public Integer call() {
        if (main.db == null) throw new CommandLine.ParameterException(spec.commandLine(), "--db or LEM_DB required");
        Path out = output;
        if (out == null) {
            Path dir = main.db.toAbsolutePath().getParent();
            out = (dir == null ? Path.of(".") : dir).resolve("expansion-approved.jsonl");
        }
        try (LemDb db = LemDb.openReadOnly(main.db)) {
            Approve.run(db, out, threshold, spec.commandLine().getOut());
        }
        return 0;
    }
}
