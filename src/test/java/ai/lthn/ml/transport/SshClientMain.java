package ai.lthn.ml.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A separate process using {@link SshTransport}, so a test can kill it with SIGKILL in the
 * middle of an upload or a command. Arguments: port, known_hosts, identity file, user, then
 * {@code put <local> <remote>} or {@code run <argv...>}.
 */
public final class SshClientMain {
    private SshClientMain() {}

    public static void main(String[] args) {
        try (SshTransport ssh = SshTransport.builder("127.0.0.1", args[3])
                .port(Integer.parseInt(args[0]))
                .knownHosts(Path.of(args[1]))
                .identity(Path.of(args[2]))
                .build()) {
            if (args[4].equals("put")) ssh.copyTo(Path.of(args[5]), args[6]);
            else ssh.run(Arrays.asList(args).subList(5, args.length), Duration.ofMinutes(10));
        }
    }
}
