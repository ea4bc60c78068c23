package ai.lthn.ml.cli;

import ai.lthn.ml.transport.SshTransport;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The SSH options of the commands that pull files from the generation host (a picocli mixin). */
final class SshOptions {
    @Option(names = "--m3-host", defaultValue = "${env:M3_HOST}", description = "Host holding the files (env M3_HOST)")
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

    /** Whether host and user are given. */
    boolean hostAndUser() {
        return !blank(host) && !blank(user);
    }

    /** Connects (host key checked against --known-hosts). */
    SshTransport connect() {
        SshTransport.Builder b = SshTransport.builder(host, user)
                .port(port)
                .knownHosts(knownHosts)
                .acceptNewHostKeys(acceptNew);
        if (key != null) b.identity(key);
        return b.build();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
