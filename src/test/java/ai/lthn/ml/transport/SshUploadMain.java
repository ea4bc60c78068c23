package ai.lthn.ml.transport;

import java.nio.file.Path;

/**
 * A separate process that uploads one file over {@link SshTransport#copyTo} and exits, so a test
 * can kill it with SIGKILL in the middle of the upload. Arguments: port, known_hosts, identity
 * file, local file, remote path.
 */
public final class SshUploadMain {
    private SshUploadMain() {}

    public static void main(String[] args) {
        try (SshTransport ssh = SshTransport.builder("127.0.0.1", "lem")
                .port(Integer.parseInt(args[0]))
                .knownHosts(Path.of(args[1]))
                .identity(Path.of(args[2]))
                .build()) {
            ssh.copyTo(Path.of(args[3]), args[4]);
        }
    }
}
