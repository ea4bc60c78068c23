package ai.lthn.ml.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static OpenSshServer server;
    private static int port;
    private static KeyPair clientKey;
    private static Path edIdentity;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/sshd")),
                "OpenSSH sshd not installed (apt-get install openssh-server)");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a throwaway sshd");
        server = new OpenSshServer("ed25519"); // an ed25519-only host: key exchange needs EdDSA
        dir = server.dir;
        port = server.port;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        clientKey = g.generateKeyPair();
        edIdentity = SshTransportTest.sshKeygen(dir, "ed25519", "id_ed25519");
        Files.writeString(
                dir.resolve("authorized_keys"),
                PublicKeyEntry.toString(clientKey.getPublic()) + "\n" + Files.readString(dir.resolve("id_ed25519.pub")),
                java.nio.file.StandardOpenOption.APPEND);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
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
