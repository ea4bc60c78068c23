package ai.lthn.ml.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.ChildJvm;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
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
        server = startServer(hostKey, clientKey.getPublic());
    }

    private SshServer startServer(KeyPair host, PublicKey client) throws Exception {
        return startServerOn(0, host, client);
    }

    private SshServer startServerOn(int port, KeyPair host, PublicKey client) throws Exception {
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        s.setPort(port);
        s.setKeyPairProvider(KeyPairProvider.wrap(host));
        s.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, client));
        s.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(new org.apache.sshd.sftp.server.SftpEventListener() {
            @Override
            public void reading(
                    org.apache.sshd.server.session.ServerSession session,
                    String remoteHandle,
                    org.apache.sshd.sftp.server.FileHandle localHandle,
                    long offset,
                    byte[] data,
                    int dataOffset,
                    int dataLen) {
                try {
                    stallReads.await(); // a server that stops answering while serving a file
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        s.setSubsystemFactories(List.of(sftp));
        s.setFileSystemFactory(new VirtualFileSystemFactory(root));
        s.start();
        return s;
    }

    /** Counted down to let the server's SFTP reads go on; starts open. */
    private volatile java.util.concurrent.CountDownLatch stallReads = new java.util.concurrent.CountDownLatch(0);

    @AfterEach
    void stop() throws Exception {
        stallReads.countDown();
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

    /** An OpenSSH key pair made by ssh-keygen: {@code name} (private) and {@code name.pub}. */
    static Path sshKeygen(Path dir, String type, String name) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen not installed (openssh-client)");
        Path key = dir.resolve(name);
        Process p = new ProcessBuilder("/usr/bin/ssh-keygen", "-q", "-t", type, "-N", "", "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes()))
                .isZero();
        return key;
    }

    @Test
    void ed25519ClientAndHostKeysWork() throws Exception {
        // the README's example: an id_ed25519 made by ssh-keygen, against an ed25519-only host
        Path hostFile = sshKeygen(local, "ed25519", "host_ed25519");
        Path idFile = sshKeygen(local, "ed25519", "id_ed25519");
        KeyPair host =
                new FileKeyPairProvider(hostFile).loadKeys(null).iterator().next();
        PublicKey id =
                new FileKeyPairProvider(idFile).loadKeys(null).iterator().next().getPublic();
        assertThat(KeyUtils.getKeyType(host)).isEqualTo("ssh-ed25519");
        server.stop(true);
        server = startServer(host, id);
        Path known = local.resolve("known_hosts_ed25519");
        String pub =
                Files.readString(hostFile.resolveSibling("host_ed25519.pub")).strip();
        Files.writeString(known, "[127.0.0.1]:" + server.getPort() + " " + pub + "\n");
        try (SshTransport ssh = SshTransport.builder("127.0.0.1", "lem")
                .port(server.getPort())
                .identity(idFile)
                .knownHosts(known)
                .build()) {
            assertThat(ssh.run(List.of("echo", "ed25519"), Duration.ofSeconds(20))
                            .stdout())
                    .isEqualTo("ed25519\n");
        }
    }

    @Test
    void anUploadKilledHalfwayLeavesTheOldRemoteFileWhole() throws Exception {
        // a separate JVM uploads from a FIFO the test feeds: after the first MiB it blocks, is
        // killed with SIGKILL, and the remote file must still hold its old content
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "mkfifo not installed");
        Path idFile = sshKeygen(local, "ed25519", "id_upload");
        PublicKey id =
                new FileKeyPairProvider(idFile).loadKeys(null).iterator().next().getPublic();
        server.stop(true);
        server = startServer(hostKey, id);
        Files.createDirectories(root.resolve("lem"));
        Path target = Files.writeString(root.resolve("lem/adapter_config.json"), "{\"old\":true}");
        killUploadHalfway(
                local, server.getPort(), knownHosts(hostKey), idFile, "lem", "/lem/adapter_config.json", target);
        assertThat(Files.readString(target)).isEqualTo("{\"old\":true}");
    }

    /**
     * Uploads to {@code remotePath} (the server's name for the local file {@code target}) from a
     * separate JVM reading a FIFO this test feeds: once 512 KiB more than before sit in the
     * target's directory, the uploader is killed with SIGKILL while blocked on the FIFO.
     */
    static void killUploadHalfway(
            Path work, int port, Path knownHosts, Path identity, String user, String remotePath, Path target)
            throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "mkfifo not installed");
        Path fifo = work.resolve("upload.fifo");
        assertThat(new ProcessBuilder("/usr/bin/mkfifo", fifo.toString())
                        .start()
                        .waitFor())
                .isZero();
        long before = remoteBytes(target.getParent());
        Path log = work.resolve("uploader.log");
        Process uploader = sshClient(log, port, knownHosts, identity, user, "put", fifo.toString(), remotePath);
        var feeder = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            feeder.submit(() -> {
                try (var out = Files.newOutputStream(fifo)) { // opens once the uploader reads
                    out.write(new byte[1 << 20]);
                    out.flush();
                    Thread.sleep(120_000); // hold the upload open until the uploader is killed
                }
                return null;
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (remoteBytes(target.getParent()) - before < (512 << 10)) { // well under way
                assertThat(uploader.isAlive())
                        .as("uploader exited early: %s", Files.readString(log))
                        .isTrue();
                assertThat(System.nanoTime()).as("upload did not start").isLessThan(deadline);
                Thread.sleep(20);
            }
            uploader.destroyForcibly(); // SIGKILL
            assertThat(uploader.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            uploader.destroyForcibly();
            feeder.shutdownNow();
            unblock(fifo, feeder);
            Files.deleteIfExists(fifo);
        }
    }

    /** Starts {@link SshClientMain} in a separate JVM, its output to {@code log}. */
    static Process sshClient(Path log, int port, Path knownHosts, Path identity, String user, String... command)
            throws Exception {
        List<String> cmd = new java.util.ArrayList<>(ChildJvm.command(
                List.of("-Xmx128m"),
                SshClientMain.class,
                Integer.toString(port),
                knownHosts.toString(),
                identity.toString(),
                user));
        cmd.addAll(List.of(command));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Bytes in all files of {@code dir}, whatever their names. */
    private static long remoteBytes(Path dir) throws Exception {
        long n = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) n += Files.size(p);
        }
        return n;
    }

    /** Ends a writer blocked on the FIFO: a read-write open lets its open return, the close breaks its pipe. */
    private static void unblock(Path fifo, java.util.concurrent.ExecutorService feeder) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!feeder.awaitTermination(10, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
            new java.io.RandomAccessFile(fifo.toFile(), "rw").close();
        }
    }

    @Test
    void anUploadIsCheckedAndRenamedIntoPlaceOverAnOldFile() throws Exception {
        Files.createDirectories(root.resolve("lem"));
        Files.writeString(root.resolve("lem/a.json"), "old old old old");
        Path up = Files.writeString(local.resolve("a.json"), "new");
        try (SshTransport ssh = connect()) {
            ssh.copyTo(up, "/lem/a.json");
            assertThat(ssh.list("/lem")).containsExactly("a.json"); // no temporary left
        }
        assertThat(Files.readString(root.resolve("lem/a.json"))).isEqualTo("new");
    }

    @Test
    void anSftpServerThatStopsAnsweringFailsTheCallAfterTheSftpTimeoutAndIdleSessionsStayOpen() throws Exception {
        Files.createDirectories(root.resolve("lem"));
        Files.writeString(root.resolve("lem/a.json"), "content");
        try (SshTransport ssh = SshTransport.builder("127.0.0.1", "lem")
                .port(server.getPort())
                .identity(clientKey)
                .knownHosts(knownHosts(hostKey))
                .sftpTimeout(Duration.ofSeconds(3))
                .build()) {
            Thread.sleep(7_000); // idle for more than twice the limit: the keep-alive holds the session
            assertThat(ssh.list("/lem")).containsExactly("a.json");
            stallReads = new java.util.concurrent.CountDownLatch(1);
            Path got = local.resolve("a.json");
            assertThatThrownBy(() -> ssh.copyFrom("/lem/a.json", got))
                    .isInstanceOf(MlIOException.class)
                    .hasMessageContaining("sftp get /lem/a.json");
            assertThat(got).doesNotExist();
        }
    }

    @Test
    void outputPastTheCapFailsInsteadOfBeingCut() throws Exception {
        try (SshTransport ssh = SshTransport.builder("127.0.0.1", "lem")
                .port(server.getPort())
                .identity(clientKey)
                .knownHosts(knownHosts(hostKey))
                .maxOutputBytes(64 * 1024)
                .build()) {
            assertThatThrownBy(() -> ssh.run(List.of("head", "-c", "1000000", "/dev/zero"), Duration.ofSeconds(30)))
                    .isInstanceOf(MlIOException.class)
                    .hasMessageContaining("more than 65536 bytes");
            assertThat(ssh.run(List.of("head", "-c", "65536", "/dev/zero"), Duration.ofSeconds(30))
                            .stdout())
                    .hasSize(65536);
        }
    }

    @Test
    void aTimedOutCommandIsKilled() throws Exception {
        // the embedded server runs commands in the test JVM's process group, so only the command
        // itself is killed here; OpenSshIT shows its children die too under a real sshd
        Path pids = root.resolve("pids");
        try (SshTransport ssh = connect()) {
            assertThatThrownBy(() -> ssh.run(
                            List.of("sh", "-c", "echo $$ > \"$1\"; exec sleep 300", "sh", pids.toString()),
                            Duration.ofSeconds(2)))
                    .isInstanceOf(MlTimeoutException.class);
        }
        assertProcessesEnd(pids, 1);
    }

    /** Every pid listed in {@code file} (one a line) ends within a generous bound. */
    static void assertProcessesEnd(Path file, int count) throws Exception {
        List<Long> pids = Files.readAllLines(file).stream().map(Long::parseLong).toList();
        assertThat(pids).hasSize(count);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (long pid : pids) {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                assertThat(System.nanoTime())
                        .as("remote process %d still running", pid)
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void acceptNewRecordsAnUnknownKeyOnceAndStillRefusesAChangedOne() throws Exception {
        Path file = local.resolve("tofu_known_hosts");
        Files.writeString(file, "");
        try (SshTransport ssh = SshTransport.builder("127.0.0.1", "lem")
                .port(server.getPort())
                .identity(clientKey)
                .knownHosts(file)
                .acceptNewHostKeys(true)
                .build()) {
            assertThat(ssh.run(List.of("true"), Duration.ofSeconds(20)).exitCode())
                    .isZero();
        }
        assertThat(Files.readString(file)).contains(PublicKeyEntry.toString(hostKey.getPublic()));
        // recorded: a strict client now trusts it
        try (SshTransport ssh = SshTransport.builder("127.0.0.1", "lem")
                .port(server.getPort())
                .identity(clientKey)
                .knownHosts(file)
                .build()) {
            assertThat(ssh.run(List.of("true"), Duration.ofSeconds(20)).exitCode())
                    .isZero();
        }
        // the same address now presents another key (a MITM, or a reinstalled host): refused
        int port = server.getPort();
        server.stop(true);
        server = startServerOn(port, ec(), clientKey.getPublic());
        String before = Files.readString(file);
        assertThatThrownBy(() -> SshTransport.builder("127.0.0.1", "lem")
                        .port(port)
                        .identity(clientKey)
                        .knownHosts(file)
                        .acceptNewHostKeys(true)
                        .build())
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(Files.readString(file)).isEqualTo(before);
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
