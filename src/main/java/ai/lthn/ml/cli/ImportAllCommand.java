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

    @Option(names = "--m3-host", defaultValue = "${env:M3_HOST}", description = "Host holding the data (env M3_HOST)")
    String host;

    @Option(names = "--m3-user", defaultValue = "${env:M3_USER}", description = "SSH user (env M3_USER)")
    String user;

    @Option(names = "--m3-port", defaultValue = "22", description = "SSH port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--m3-ssh-key", defaultValue = "${env:M3_SSH_KEY}", description = "Private key (env M3_SSH_KEY)")
    Path key;

    @Option(
            names = "--known-hosts",
            defaultValue = "${sys:user.home}/.ssh/known_hosts",
            description = "known_hosts the host key must be in (default ${DEFAULT-VALUE})")
    Path knownHosts;

    @Option(names = "--accept-new-host-key", description = "Accept and record a host key not yet in --known-hosts")
    boolean acceptNew;

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
        if (blank(host) || blank(user) || blank(remoteDir))
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--m3-host, --m3-user and --remote-dir are required (or --skip-m3); go-ml's host and path"
                            + " defaults were private");
        SshTransport.Builder b = SshTransport.builder(host, user)
                .port(port)
                .knownHosts(knownHosts)
                .acceptNewHostKeys(acceptNew);
        if (key != null) b.identity(key);
        try (SshTransport ssh = b.build();
                LemDb db = LemDb.openReadWrite(path)) {
            ImportAll.run(db, config, ssh, out);
        }
        return 0;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
