package ai.lthn.ml.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ml} command line. Thin: each subcommand parses its flags, calls the library and
 * prints. {@link #run} is the testable entry point; {@link #main} exits with its status.
 */
@Command(
        name = "ml",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Run, serve and evaluate language models (lthn-ml).")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // go-ml's persistent options, with go-ml HEAD's environment fallbacks; accepted before or
    // after the command name (ml --api-url X probe, ml probe --api-url X). No private-network
    // defaults: go-ml's pointed at addresses on its authors' network.

    @Option(
            names = "--api-url",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:ML_API_URL}",
            description = "OpenAI-compatible inference API, e.g. http://127.0.0.1:8080 (env ML_API_URL)")
    String apiUrl;

    @Option(
            names = "--judge-url",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:ML_JUDGE_URL}",
            description = "OpenAI-compatible judge server, e.g. http://127.0.0.1:11434 (env ML_JUDGE_URL)")
    String judgeUrl;

    @Option(
            names = "--judge-model",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:ML_JUDGE_MODEL:-gemma3:27b}",
            description = "Judge model (env ML_JUDGE_MODEL; default ${DEFAULT-VALUE}, go-ml's)")
    String judgeModel;

    @Option(
            names = "--influx",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:ML_INFLUX_URL}",
            description = "InfluxDB URL, e.g. http://127.0.0.1:8086 (env ML_INFLUX_URL)")
    String influxUrl;

    @Option(
            names = "--influx-db",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:ML_INFLUX_DB:-training}",
            description = "InfluxDB database (env ML_INFLUX_DB; default ${DEFAULT-VALUE}, go-ml's)")
    String influxDb;

    @Option(
            names = "--db",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:LEM_DB}",
            description = "DuckDB file (env LEM_DB)")
    java.nio.file.Path db;

    @Option(
            names = "--model",
            scope = ScopeType.INHERIT,
            defaultValue = "${env:ML_MODEL}",
            description = "Model name at the inference API (env ML_MODEL)")
    String model;

    /** Standard input for commands that read it ({@code ml chat}). */
    InputStream in = System.in;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // The CLI's log goes to stderr: warnings only, plus the server's request lines.
        defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        defaultProperty("org.slf4j.simpleLogger.log.ai.lthn.ml.server", "info");
        // Writers straight over the file descriptors: unlike System.out, they report a failed
        // write (a full disk, a closed pipe) through checkError(), which run() turns into status 1.
        PrintWriter out = new PrintWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        ScoreCommand.prepareInBackground(args);
        System.exit(run(args, out, err));
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    /**
     * Runs the command line with the given streams.
     *
     * @return the exit status: 0 success, 1 failure (also when standard output could not be
     *     written), 2 usage error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, System.in, out, err);
    }

    /** Runs the command line with the given streams, standard input included. */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        out = Terminal.rootLocale(out);
        err = Terminal.rootLocale(err);
        Main main = new Main();
        main.in = in;
        CommandLine cli = commandLine(main, CommandTree.needed(args));
        cli.setOut(out);
        cli.setErr(err);
        int status = cli.execute(args);
        if (out.checkError()) {
            err.println("ml: could not write to standard output");
            return status == 0 ? 1 : status;
        }
        return status;
    }

    /** The command tree, for tests and documentation. */
    public static CommandLine commandLine() {
        return commandLine(new Main(), null);
    }

    /** {@code ml} with only {@code needed} under it, or every subcommand when that is null. */
    private static CommandLine commandLine(Main main, List<Class<?>> needed) {
        CommandLine cli = new CommandLine(main);
        if (needed == null) {
            CommandTree.addAll(cli);
        } else {
            for (Class<?> command : needed) cli.addSubcommand(command);
            // an error of ml itself (--api-url missing) shows ml's usage: the whole tree's
            CommandLine.IParameterExceptionHandler handler = cli.getParameterExceptionHandler();
            cli.setParameterExceptionHandler((e, args) -> {
                if (e.getCommandLine() != cli) return handler.handleParseException(e, args);
                CommandLine full = commandLine(new Main(), null);
                full.setOut(cli.getOut());
                full.setErr(cli.getErr());
                full.setColorScheme(cli.getColorScheme());
                return full.getParameterExceptionHandler()
                        .handleParseException(new CommandLine.ParameterException(full, e.getMessage(), e), args);
            });
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("ml: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cli;
    }

    /** {@code --model}, or {@code fallback} when unset (go-ml's commands each had their own). */
    String modelOr(String fallback) {
        return model == null || model.isBlank() ? fallback : model;
    }

    /** {@code --api-url}, refused when unset. */
    String requireApiUrl() {
        if (apiUrl == null || apiUrl.isBlank())
            throw new CommandLine.ParameterException(spec.commandLine(), "--api-url is required (or set ML_API_URL)");
        return apiUrl;
    }

    /** {@code --judge-url}, null when unset. */
    String judgeUrl() {
        return judgeUrl == null || judgeUrl.isBlank() ? null : judgeUrl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version, from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ml (lthn-ml) " + version()};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            } catch (IOException e) {
                return "unknown";
            }
            return p.getProperty("version", "unknown");
        }
    }
}
