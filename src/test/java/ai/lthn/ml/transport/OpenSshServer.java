package ai.lthn.ml.transport;

import ai.lthn.ml.Ports;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenSSH sshd on loopback for other packages' ITs (the same recipe as {@link
 * OpenSshIT}): key-only root login, a pinned ecdsa host key in {@link #knownHosts}, the client key
 * in {@link #clientKey} (OpenSSH format). {@link #available()} says whether it can run here.
 */
public final class OpenSshServer implements AutoCloseable {
    public final Path dir;
    public final int port;
    public final Path knownHosts;
    public final Path clientKey;
    private final Process sshd;

    /** Whether sshd is installed and we are root. */
    /**
     * The {@code ml} flags that reach this server as go-ml's M3 host: host, port, user, key and
     * known_hosts file.
     */
    public java.util.List<String> m3Flags() {
        return java.util.List.of(
                "--m3-host",
                "127.0.0.1",
                "--m3-port",
                Integer.toString(port),
                "--m3-user",
                "root",
                "--m3-ssh-key",
                clientKey.toString(),
                "--known-hosts",
                knownHosts.toString());
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/sshd")) && "root".equals(System.getProperty("user.name"));
    }

    /** Starts sshd with an ECDSA host key and waits until it listens. */
    public OpenSshServer() throws Exception {
        this("ecdsa");
    }

    /**
     * Starts sshd with a host key of {@code hostKeyType} ({@code ecdsa}, {@code ed25519}) and waits
     * until it listens. More client keys may be appended to {@code dir/authorized_keys} at any
     * time (sshd reads it at each login).
     */
    public OpenSshServer(String hostKeyType) throws Exception {
        dir = Files.createTempDirectory("sshd-srv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.createDirectories(Path.of("/run/sshd"));
        keygen(dir.resolve("host"), hostKeyType);
        clientKey = dir.resolve("client");
        keygen(clientKey, "ecdsa");
        Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
        port = Ports.freeLoopbackPort();
        Files.writeString(dir.resolve("sshd_config"), """
                Port %d
                ListenAddress 127.0.0.1
                HostKey %s/host
                PidFile %s/sshd.pid
                AuthorizedKeysFile %s/authorized_keys
                AllowUsers root
                PermitRootLogin prohibit-password
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                AllowTcpForwarding no
                X11Forwarding no
                PrintMotd no
                MaxSessions 100
                Subsystem sftp internal-sftp
                """.formatted(port, dir, dir, dir));
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(
                knownHosts,
                "[127.0.0.1]:" + port + " "
                        + String.join(
                                " ",
                                List.of(Files.readString(dir.resolve("host.pub"))
                                                .split(" "))
                                        .subList(0, 2))
                        + "\n");
        sshd = new ProcessBuilder(
                        "/usr/sbin/sshd",
                        "-D",
                        "-e",
                        "-f",
                        dir.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (!sshd.isAlive())
                    throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
                if (System.nanoTime() > deadline) throw new IllegalStateException("sshd did not listen");
                Thread.sleep(20);
            }
        }
    }

    private static void keygen(Path file, String type) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-f", file.toString())
                .redirectErrorStream(true)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException(
                    "ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
    }

    @Override
    public void close() throws Exception {
        sshd.destroy();
        if (!sshd.waitFor(10, TimeUnit.SECONDS)) sshd.destroyForcibly();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
