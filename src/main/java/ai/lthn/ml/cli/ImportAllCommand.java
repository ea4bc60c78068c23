package ai.lthn.ml.cli;

import ai.lthn.ml.data.ImportAll;
import ai.lthn.ml.data.LemDb;
import ai.lthn.ml.transport.SshTransport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ml import-all}: import the LEM data files into the database, pulling them from a host first (go-ml's). */
@Command(
        name = "import-all",
        mixinStandardHelpOptions = true,
        description = "Import the golden set, training sets, benchmarks and seeds into the database,"
                + " after copying them from a host over SSH/SFTP (unless --skip-m3).")
final class ImportAllCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    Main main; // --db

    @Option(names = "--skip-m3", description = "Import the local files only; contact no host")
    boolean skipM3;

    @Option(names = "--data-dir", description = "Local data directory (default: the database's directory)")
    Path dataDir;

    @CommandLine.Mixin
    SshOptions ssh;

    @Option(
            names = "--remote-dir",
            description = "Data directory on the host (go-ml's was /Volumes/Data/lem): responses/, benchmarks/,"
                    + " benchmark/ and the training sets under it")
    String remoteDir;

    @Override
    public Integer call() {
        Path path = DataSupport.requireDb(spec, main);
        Path data = dataDir;
        if (data == null) {
            Path parent = path.toAbsolutePath().getParent();
            data = parent == null ? Path.of(".") : parent;
        }
        ImportAll.Config config = new ImportAll.Config(data, remoteDir);
        var out = spec.commandLine().getOut();
        if (skipM3) {
            try (LemDb db = LemDb.openReadWrite(path)) {
                ImportAll.run(db, config, null, out);
            }
            return 0;
        }
        if (!ssh.hostAndUser() || SshOptions.blank(remoteDir))
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--m3-host, --m3-user and --remote-dir are required (or --skip-m3); go-ml's host and path"
                            + " defaults were private");
        try (SshTransport remoteHost = ssh.connect();
                LemDb db = LemDb.openReadWrite(path)) {
            ImportAll.run(db, config, remoteHost, out);
        }
        return 0;
    }
}
