package ai.lthn.ml.cli;

import ai.lthn.ml.data.Consolidate;
import ai.lthn.ml.transport.SshTransport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml consolidate}: pull response files from the generation host and merge them by idx (go-ml's). */
@Command(
        name = "consolidate",
        mixinStandardHelpOptions = true,
        description = "Pull response JSONL files from a host over SSH/SFTP and merge them by idx (first wins).")
final class ConsolidateCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    SshOptions ssh;

    @Option(names = "--remote", description = "Directory on the host holding the response files")
    String remote;

    @Option(
            names = "--pattern",
            defaultValue = "gold*.jsonl",
            description = "File-name glob (default ${DEFAULT-VALUE})")
    String pattern;

    @Option(names = "--output", defaultValue = "responses", description = "Local directory (default ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--merged", description = "Merged file (default <output>/../gold-merged.jsonl)")
    Path merged;

    @Option(names = "--skip-pull", description = "Merge the files already in --output; contact no host")
    boolean skipPull;

    @Override
    public Integer call() {
        Consolidate.Config config;
        try {
            config = new Consolidate.Config(remote == null ? "" : remote, pattern, output, merged);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (skipPull) {
            Consolidate.run(null, config, spec.commandLine().getOut());
            return 0;
        }
        if (!ssh.hostAndUser() || SshOptions.blank(remote))
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--m3-host, --m3-user and --remote are required (or --skip-pull); go-ml's host and path"
                            + " defaults were private");
        try (SshTransport remoteHost = ssh.connect()) {
            Consolidate.run(remoteHost, config, spec.commandLine().getOut());
        }
        return 0;
    }
}
