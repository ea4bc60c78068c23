package ai.lthn.ml.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.Ports;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SshTransport against a real OpenSSH sshd on a loopback port (reliability.md §3.2: key-only,
 * pinned host key, throwaway config in a temporary directory), logging in as root. Skips with a
 * message unless /usr/sbin/sshd is installed and the tests run as root, as in CI.
 */
class OpenSshIT {
    private static Path dir;
    private static Process sshd;
    private static int port;
    private static KeyPair clientKey;
    private static Path edIdentity;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/sshd")),
                "OpenSSH sshd not installed (apt-get install openssh-server)");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a throwaway sshd");
        dir = Files.createTempDirectory("sshd-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.createDirectories(Path.of("/run/sshd"));
        Process keygen = new ProcessBuilder(
                        "ssh-keygen",
                        "-q",
                        "-t",
                        "ed25519", // an ed25519-only host: key exchange needs EdDSA
                        "-N",
                        "",
                        "-f",
                        dir.resolve("host").toString())
                .redirectErrorStream(true)
                .start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0)
                .isTrue();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        clientKey = g.generateKeyPair();
        edIdentity = SshTransportTest.sshKeygen(dir, "ed25519", "id_ed25519");
        Files.writeString(
                dir.resolve("authorized_keys"),
                PublicKeyEntry.toString(clientKey.getPublic()) + "\n"
                        + Files.readString(dir.resolve("id_ed25519.pub")));
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
                Subsystem sftp internal-sftp
                """.formatted(port, dir, dir, dir));
        Files.writeString(
                dir.resolve("known_hosts"),
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

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) sshd.destroyForcibly();
        }
        if (dir != null)
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
    }

    private static SshTransport connect(Path knownHosts) {
        return SshTransport.builder("127.0.0.1", "root")
                .port(port)
                .identity(clientKey)
                .knownHosts(knownHosts)
                .build();
    }

    @Test
    void runsCommandsListsAndCopiesAgainstRealOpenSsh() throws Exception {
        Path remoteDir = Files.createDirectory(dir.resolve("adapters-x;touch INJECTED;"));
        Files.writeString(remoteDir.resolve("0000100_adapters.safetensors"), "w".repeat(10_000));
        try (SshTransport ssh = connect(dir.resolve("known_hosts"))) {
            var r = ssh.run(List.of("ls", "-1", remoteDir.toString()), Duration.ofSeconds(60));
            assertThat(r.ok()).as(r.stderr()).isTrue();
            assertThat(r.stdout()).isEqualTo("0000100_adapters.safetensors\n");
            assertThat(Files.exists(Path.of(System.getProperty("user.home"), "INJECTED")))
                    .isFalse();
            assertThat(ssh.list(dir.toString())).contains("adapters-x;touch INJECTED;");
            Path local = dir.resolve("local/adapter.safetensors");
            ssh.copyFrom(remoteDir.resolve("0000100_adapters.safetensors").toString(), local);
            assertThat(Files.size(local)).isEqualTo(10_000);
        }
    }

    @Test
    void anEd25519IdentityFileLogsInToAnEd25519Host() {
        try (SshTransport ssh = SshTransport.builder("127.0.0.1", "root")
                .port(port)
                .identity(edIdentity)
                .knownHosts(dir.resolve("known_hosts"))
                .build()) {
            assertThat(ssh.run(List.of("echo", "ed25519"), Duration.ofSeconds(60))
                            .stdout())
                    .isEqualTo("ed25519\n");
        }
    }

    @Test
    void aTimedOutCommandIsKilledWithItsChildren() throws Exception {
        Path pids = dir.resolve("pids");
        try (SshTransport ssh = connect(dir.resolve("known_hosts"))) {
            assertThatThrownBy(() -> ssh.run(
                            List.of(
                                    "sh",
                                    "-c",
                                    "sleep 300 & echo $! > \"$1\"; echo $$ >> \"$1\"; wait",
                                    "sh",
                                    pids.toString()),
                            Duration.ofSeconds(2)))
                    .isInstanceOf(MlTimeoutException.class);
        }
        SshTransportTest.assertProcessesEnd(pids, 2);
    }

    @Test
    void aCommandDiesWithAClientKilledByKill9() throws Exception {
        // the client JVM is SIGKILLed while its command runs: sshd drops the channel, the
        // wrapper sees its stdin close and kills the command's process group
        Path pids = dir.resolve("pids-kill9");
        Process client = SshTransportTest.sshClient(
                dir.resolve("client.log"),
                port,
                dir.resolve("known_hosts"),
                edIdentity,
                "root",
                "run",
                "sh",
                "-c",
                "sleep 300 & echo $! > \"$1\".tmp; echo $$ >> \"$1\".tmp; mv \"$1\".tmp \"$1\"; wait",
                "sh",
                pids.toString());
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(pids)) {
                assertThat(client.isAlive())
                        .as("client exited: %s", Files.readString(dir.resolve("client.log")))
                        .isTrue();
                assertThat(System.nanoTime()).as("the command did not start").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            client.destroyForcibly(); // SIGKILL
            client.waitFor(30, TimeUnit.SECONDS);
        }
        SshTransportTest.assertProcessesEnd(pids, 2);
    }

    @Test
    void anUploadKilledWithKill9LeavesTheOldFileWhole() throws Exception {
        Path remote = Files.createDirectories(dir.resolve("upload-kill"));
        Path target = Files.writeString(remote.resolve("adapter_config.json"), "{\"old\":true}");
        SshTransportTest.killUploadHalfway(
                dir, port, dir.resolve("known_hosts"), edIdentity, "root", target.toString(), target);
        assertThat(Files.readString(target)).isEqualTo("{\"old\":true}");
    }

    @Test
    void aKilledUploadOrAnOverwriteNeverLeavesAHalfFile() throws Exception {
        Path target = Files.writeString(dir.resolve("adapter_config.json"), "{\"old\":true}");
        Path up = Files.writeString(dir.resolve("new.json"), "{\"new\":1}");
        try (SshTransport ssh = connect(dir.resolve("known_hosts"))) {
            ssh.copyTo(up, target.toString()); // OpenSSH: the posix-rename extension
            assertThat(Files.readString(target)).isEqualTo("{\"new\":1}");
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
            }
            assertThatThrownBy(() -> ssh.run(List.of("head", "-c", "17000000", "/dev/zero"), Duration.ofSeconds(60)))
                    .isInstanceOf(MlIOException.class)
                    .hasMessageContaining("wrote more than 16777216 bytes");
        }
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        Path wrong = Files.writeString(
                dir.resolve("wrong_known_hosts"),
                "[127.0.0.1]:" + port + " "
                        + PublicKeyEntry.toString(g.generateKeyPair().getPublic()) + "\n");
        assertThatThrownBy(() -> connect(wrong)).isInstanceOf(BackendUnavailableException.class);
    }
}
