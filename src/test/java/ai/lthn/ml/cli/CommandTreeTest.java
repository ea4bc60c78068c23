package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The start path that builds only the invoked subcommand behaves as the whole tree does: same
 * help, same errors, same status, for every command.
 */
class CommandTreeTest {

    @Test
    void theScanFindsTheCommandAfterThePersistentOptions() {
        assertThat(CommandTree.needed(new String[] {"score", "--input", "x"})).containsExactly(ScoreCommand.class);
        assertThat(CommandTree.needed(new String[] {"--api-url", "http://h", "--model=m", "probe"}))
                .containsExactly(ProbeCommand.class);
        assertThat(CommandTree.needed(new String[] {"--db", "score", "probe"})).containsExactly(ProbeCommand.class);
        assertThat(CommandTree.needed(new String[] {"import-all"})).containsExactly(ImportAllCommand.class);
        assertThat(CommandTree.needed(new String[] {"--version"})).isEmpty();
        assertThat(CommandTree.needed(new String[] {"--model", "m", "-V"})).isEmpty();
    }

    @Test
    void anythingElseBuildsTheWholeTree() {
        for (String[] args : List.of(
                new String[] {},
                new String[] {"help", "score"},
                new String[] {"--help"},
                new String[] {"--version", "score"},
                new String[] {"-V", "-h"},
                new String[] {"frobnicate"},
                new String[] {"@args.txt"},
                new String[] {"--api-url"},
                new String[] {"--unknown", "score"},
                new String[] {""})) {
            assertThat(CommandTree.needed(args)).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void theTreeHoldsEveryCommandInItsOrder() {
        Map<String, CommandLine> subs = Main.commandLine().getSubcommands();
        List<String> names = new ArrayList<>();
        for (Class<?> c : CommandTree.SUBCOMMANDS)
            names.add(c.getAnnotation(CommandLine.Command.class).name());
        assertThat(subs.keySet()).containsExactlyElementsOf(names).hasSize(27);
    }

    @Test
    void everyCommandsHelpIsTheWholeTreesHelp() {
        for (Class<?> c : CommandTree.SUBCOMMANDS) {
            String name = c.getAnnotation(CommandLine.Command.class).name();
            if (name.equals("help")) continue;
            assertSame(name, "--help");
            assertSame("--api-url", "http://127.0.0.1:1", name, "--help");
        }
    }

    @Test
    void errorsAreTheWholeTreesErrors() {
        assertSame("score", "--no-such-option");
        assertSame("score", "--input");
        assertSame("score", "extra", "positional");
        assertSame("probe");
        assertSame("--model=m", "gguf", "--bogus");
        assertSame("convert");
        assertSame("query");
        assertSame("--version");
        assertSame("--model", "m", "-V");
        assertSame("--version", "--help");
    }

    @Test
    void theWholeTreeStillAnswersHelpAndUnknownNames() {
        assertThat(CliRun.of("help", "score").out())
                .isEqualTo(CliRun.of("score", "--help").out());
        assertThat(CliRun.of().out()).contains("Commands:").contains("score").contains("ingest");
    }

    /** {@code ml args} through {@link Main#run} (the start path) and through the whole tree. */
    private static void assertSame(String... args) {
        CliRun light = CliRun.of(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine full = Main.commandLine();
        full.setOut(new PrintWriter(out, true));
        full.setErr(new PrintWriter(err, true));
        int status = full.execute(args);
        String what = String.join(" ", args);
        assertThat(light.status()).as(what).isEqualTo(status);
        assertThat(light.out()).as(what).isEqualTo(out.toString());
        assertThat(light.err()).as(what).isEqualTo(err.toString());
        assertThat(light.out() + light.err()).as(what).isNotEmpty();
    }
}
