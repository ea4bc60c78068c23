package ai.lthn.ml.cli;

import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The subcommands of {@code ml}, and the start path that builds only the one an argument list
 * invokes. Building picocli's model of all 27 commands costs about 0.3 s of CPU at start (their
 * options, mixins and help text, by reflection), more than scoring 2,000 responses; a run of
 * {@code ml score ...} needs only {@code score}'s. The full tree stays for everything that shows
 * or searches it: no command name, {@code help}, {@code --help}/{@code --version}, an unknown
 * name, an argument file ({@code @file}), anything this scan does not recognise.
 */
final class CommandTree {
    /** In the order {@code ml --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            CommandLine.HelpCommand.class,
            ScoreCommand.class,
            ProbeCommand.class,
            CompareCommand.class,
            ServeCommand.class,
            ChatCommand.class,
            ReportCommand.class,
            ConvertCommand.class,
            GgufCommand.class,
            AgentCommand.class,
            PublishCommand.class,
            ConsolidateCommand.class,
            ExpandCommand.class,
            ApproveCommand.class,
            WorkerCommand.class,
            ImportAllCommand.class,
            NormalizeCommand.class,
            InventoryCommand.class,
            CoverageCommand.class,
            ExpandStatusCommand.class,
            QueryCommand.class,
            MetricsCommand.class,
            SeedInfluxCommand.class,
            ExportCommand.class,
            StatusCommand.class,
            LiveCommand.class,
            IngestCommand.class);

    /** {@link Main}'s options that take a value (the persistent options), as typed before a name. */
    private static final Set<String> VALUE_OPTIONS =
            Set.of("--api-url", "--judge-url", "--judge-model", "--influx", "--influx-db", "--db", "--model");

    private CommandTree() {}

    /** Adds every subcommand to {@code ml}'s command line. */
    static void addAll(CommandLine ml) {
        for (Class<?> command : SUBCOMMANDS) ml.addSubcommand(command);
    }

    /**
     * The subcommands a run of {@code args} needs, when the scan is sure of it: the one named by
     * the first argument after {@code ml}'s own value options ({@code --api-url X} or {@code
     * --api-url=X}), if that is a command other than {@code help}; none for a lone {@code
     * --version}. Null otherwise: then the caller builds the whole tree and picocli decides, as it
     * always did.
     */
    static List<Class<?>> needed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (VALUE_OPTIONS.contains(arg)) {
                i++;
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq > 0 && VALUE_OPTIONS.contains(arg.substring(0, eq))) continue;
            if ((arg.equals("--version") || arg.equals("-V")) && i == args.length - 1) return List.of();
            Class<?> command = named(arg);
            return command == null ? null : List.of(command);
        }
        return null;
    }

    private static Class<?> named(String name) {
        if (name.isEmpty() || name.startsWith("-") || name.startsWith("@")) return null;
        for (Class<?> command : SUBCOMMANDS) {
            if (command == CommandLine.HelpCommand.class) continue;
            Command annotation = command.getAnnotation(Command.class);
            if (annotation.name().equals(name) || List.of(annotation.aliases()).contains(name)) return command;
        }
        return null;
    }
}
