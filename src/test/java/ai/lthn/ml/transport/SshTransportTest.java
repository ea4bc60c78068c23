package ai.lthn.ml.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.MlTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SshTransport against an embedded SSH server (Apache MINA SSHD) on loopback that runs commands
 * through the local shell and serves SFTP from a temporary directory.
 */
class SshTransportTest {
    @TempDir
    Path root;

    @TempDir
    Path local;

    private SshServer server;
    private KeyPair hostKey;
    private KeyPair clientKey;

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    @BeforeEach
    void start() throws Exception {
        hostKey = ec();
        clientKey = ec();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(true);
    }

    private Path knownHosts(KeyPair key) throws Exception {
        Path f = local.resolve("known_hosts");
        Files.writeString(f, "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n");
        return f;
    }

    private SshTransport connect() throws Exception {
        return SshTransport.builder("127.0.0.1", "lem")
                .port(server.getPort())
                .identity(clientKey)
                .knownHosts(knownHosts(hostKey))
                .build();
    }

    @Test
    void argumentsArriveLiterallySoRemoteNamesCannotInject() throws Exception {
        Path hostile = Files.createDirectory(root.resolve("adapters-x;touch INJECTED;"));
        try (SshTransport ssh = connect()) {
            var r = ssh.run(List.of("ls", "-1", "-d", hostile.toString(), "it's here"), Duration.ofSeconds(20));
            assertThat(r.stdout()).contains("adapters-x;touch INJECTED;");
            assertThat(r.stderr()).contains("it's here"); // no such file: reported on stderr, apart from stdout
            assertThat(r.exitCode()).isNotZero();
            assertThat(Files.exists(Path.of("INJECTED"))).isFalse();
            assertThat(Files.exists(root.resolve("INJECTED"))).isFalse();
            var ok = ssh.run(List.of("printf", "%s|", "a b", "$HOME", "`id`"), Duration.ofSeconds(20));
            assertThat(ok.ok()).isTrue();
            assertThat(ok.stdout()).isEqualTo("a b|$HOME|`id`|");
        }
    }

    @Test
    void aCommandThatRunsTooLongIsStopped() throws Exception {
        try (SshTransport ssh = connect()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> ssh.run(List.of("sleep", "30"), Duration.ofMillis(500)))
                    .isInstanceOf(MlTimeoutException.class)
                    .hasMessageContaining("still running after 500 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThat(ssh.run(List.of("echo", "still usable"), Duration.ofSeconds(20))
                            .stdout())
                    .isEqualTo("still usable\n");
        }
    }

    @Test
    void sftpListsAndCopiesBothWays() throws Exception {
        Files.createDirectories(root.resolve("lem/gemma-3-1b"));
        Files.writeString(root.resolve("lem/gemma-3-1b/0000100_adapters.safetensors"), "weights".repeat(1000));
        Files.createDirectory(root.resolve("lem/evil;rm -rf ~"));
        try (SshTransport ssh = connect()) {
            assertThat(ssh.list("/lem")).containsExactly("evil;rm -rf ~", "gemma-3-1b");
            Path got = local.resolve("dl/adapter.safetensors");
            ssh.copyFrom("/lem/gemma-3-1b/0000100_adapters.safetensors", got);
            assertThat(Files.readString(got)).isEqualTo("weights".repeat(1000));
            try (var leftovers = Files.list(got.getParent())) {
                assertThat(leftovers).containsExactly(got); // no .part file left
            }
            Path up = Files.writeString(local.resolve("up.json"), "{\"r\":8}");
            ssh.copyTo(up, "/lem/uploaded.json");
            assertThat(Files.readString(root.resolve("lem/uploaded.json"))).isEqualTo("{\"r\":8}");
            assertThatThrownBy(() -> ssh.list("/missing")).hasMessageContaining("/missing");
        }
    }

    @Test
    void anUnknownOrChangedHostKeyIsRefused() throws Exception {
        Path empty = Files.writeString(local.resolve("empty_known_hosts"), "");
        assertThatThrownBy(() -> SshTransport.builder("127.0.0.1", "lem")
                        .port(server.getPort())
                        .identity(clientKey)
                        .knownHosts(empty)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build())
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("cannot open SSH session");
        assertThat(Files.readString(empty)).isEmpty(); // no trust on first use: nothing was added
        Path wrong = knownHosts(ec()); // a MITM's key pinned instead
        assertThatThrownBy(() -> SshTransport.builder("127.0.0.1", "lem")
                        .port(server.getPort())
                        .identity(clientKey)
                        .knownHosts(wrong)
                        .build())
                .isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void badHostUserOrMissingSettingsAreRejectedBeforeConnecting() {
        assertThatThrownBy(() -> SshTransport.builder("-oProxyCommand=touch x", "lem"))
                .hasMessageContaining("not a host name");
        assertThatThrownBy(() -> SshTransport.builder("m3", "-l root")).hasMessageContaining("not a user name");
        assertThatThrownBy(() ->
                        SshTransport.builder("m3", "lem").identity(clientKey).build())
                .hasMessageContaining("knownHosts is required");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
    }
}
