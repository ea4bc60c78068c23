package ai.lthn.ml.transport;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * {@link RemoteTransport} over SSH (Apache MINA SSHD): one authenticated session, commands on exec
 * channels, files and listings over SFTP.
 *
 * <p>Fixes go-ml's transport (reliability.md S1–S8): the server's host key must be in the given
 * known_hosts file, or the connection is refused (go-ml ran {@code ssh -o
 * StrictHostKeyChecking=no}, which accepts a changed key and runs the command); arguments are
 * quoted, never pasted into a shell string; host and user are validated; stdout and stderr are
 * separate; each command has a deadline after which its channel is closed; downloads go to a
 * temporary file and are moved into place only when complete. Public-key authentication only.
 *
 * <pre>{@code
 * try (RemoteTransport m3 = SshTransport.builder("m3.lan", "claude")
 *         .identity(Path.of(System.getProperty("user.home"), ".ssh/id_ed25519"))
 *         .knownHosts(Path.of(System.getProperty("user.home"), ".ssh/known_hosts"))
 *         .build()) {
 *     List<String> adapters = m3.list("/Volumes/Data/lem");
 * }
 * }</pre>
 */
public final class SshTransport implements RemoteTransport {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]%-]+");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");
    private static final long MAX_OUTPUT = 16L * 1024 * 1024;

    private final String target;
    private final SshClient client;
    private final ClientSession session;
    private final SftpClient sftp;

    private SshTransport(Builder b) {
        this.target = b.user + "@" + b.host + ":" + b.port;
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, b.knownHosts));
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.start();
        try {
            session = client.connect(b.user, b.host, b.port)
                    .verify(b.connectTimeout)
                    .getSession();
            for (KeyPair kp : b.identities()) session.addPublicKeyIdentity(kp);
            session.auth().verify(b.connectTimeout);
            sftp = SftpClientFactory.instance().createSftpClient(session);
        } catch (IOException | RuntimeException e) {
            client.stop();
            throw new BackendUnavailableException(
                    "cannot open SSH session to " + target + " (host key checked against " + b.knownHosts + "): "
                            + e.getMessage(),
                    e);
        }
    }

    /** A builder for {@code user@host}. */
    public static Builder builder(String host, String user) {
        return new Builder(host, user);
    }

    @Override
    public Result run(List<String> argv, Duration timeout) {
        String command = ShellQuote.join(argv);
        Capped out = new Capped();
        Capped err = new Capped();
        try (ChannelExec ch = session.createExecChannel(command)) {
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(timeout);
            Set<ClientChannelEvent> events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                ch.close(true);
                throw new MlTimeoutException(
                        "ssh " + target + " " + argv.get(0) + ": still running after " + timeout.toMillis() + " ms",
                        timeout,
                        out.text(),
                        null);
            }
            Integer status = ch.getExitStatus();
            return new Result(status == null ? -1 : status, out.text(), err.text());
        } catch (IOException e) {
            throw new MlIOException("ssh " + target + " " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String directory) {
        List<String> names = new ArrayList<>();
        try {
            for (SftpClient.DirEntry e : sftp.readDir(directory)) {
                String n = e.getFilename();
                if (!n.equals(".") && !n.equals("..")) names.add(n);
            }
        } catch (IOException e) {
            throw new MlIOException("sftp list " + directory + " on " + target + ": " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) { // thrown while iterating the listing
            throw new MlIOException("sftp list " + directory + " on " + target + ": " + e.getMessage(), e);
        }
        names.sort(null);
        return names;
    }

    @Override
    public void copyFrom(String remote, Path local) {
        Path tmp = null;
        try {
            long size = sftp.stat(remote).getSize();
            Path dir = local.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, local.getFileName() + ".", ".part");
            long copied;
            try (InputStream in = sftp.read(remote)) {
                copied = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (copied != size)
                throw new MlIOException(
                        "sftp get " + remote + ": got " + copied + " of " + size + " bytes",
                        new IOException("short read"));
            Files.move(tmp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MlIOException("sftp get " + remote + " from " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) tmp.toFile().delete();
        }
    }

    @Override
    public void copyTo(Path local, String remote) {
        try (InputStream in = Files.newInputStream(local);
                OutputStream out = sftp.write(remote)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new MlIOException("sftp put " + remote + " to " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            session.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        client.stop();
    }

    /** Output kept up to 16 MiB; beyond that it is dropped (a runaway command cannot exhaust memory). */
    private static final class Capped extends OutputStream {
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (buf.size() < MAX_OUTPUT) buf.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = (int) Math.max(0, MAX_OUTPUT - buf.size());
            buf.write(b, off, Math.min(len, room));
        }

        synchronized String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /** Builds (and connects) an {@link SshTransport}. */
    public static final class Builder {
        private final String host;
        private final String user;
        private int port = 22;
        private Path identityFile;
        private KeyPair identity;
        private Path knownHosts;
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder(String host, String user) {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            if (!HOST.matcher(host).matches() || host.startsWith("-"))
                throw new IllegalArgumentException("not a host name: " + host);
            if (!USER.matcher(user).matches()) throw new IllegalArgumentException("not a user name: " + user);
            this.host = host;
            this.user = user;
        }

        /** The port; default 22. */
        public Builder port(int value) {
            if (value < 1 || value > 65535) throw new IllegalArgumentException("port outside 1..65535: " + value);
            this.port = value;
            return this;
        }

        /** The private key file (OpenSSH or PEM format, unencrypted). */
        public Builder identity(Path value) {
            this.identityFile = Objects.requireNonNull(value, "identity");
            return this;
        }

        /** A key pair held in memory. */
        public Builder identity(KeyPair value) {
            this.identity = Objects.requireNonNull(value, "identity");
            return this;
        }

        /** The known_hosts file the server's key must be in (required: there is no trust on first use). */
        public Builder knownHosts(Path value) {
            this.knownHosts = Objects.requireNonNull(value, "knownHosts");
            return this;
        }

        /** The limit on connecting and authenticating; default 10 s (go-ml's ConnectTimeout). */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Checks.positive(value, "connectTimeout");
            return this;
        }

        private List<KeyPair> identities() {
            List<KeyPair> out = new ArrayList<>();
            if (identity != null) out.add(identity);
            if (identityFile != null) {
                try {
                    for (KeyPair kp : new FileKeyPairProvider(identityFile).loadKeys(null)) out.add(kp);
                } catch (RuntimeException e) {
                    throw new MlException("cannot read SSH key " + identityFile + ": " + e.getMessage(), e);
                }
            }
            return out;
        }

        /**
         * Connects and authenticates.
         *
         * @throws IllegalStateException if no known_hosts file or no identity was given
         * @throws BackendUnavailableException if the host key is unknown or changed, or login fails
         */
        public SshTransport build() {
            if (knownHosts == null) throw new IllegalStateException("knownHosts is required (no trust on first use)");
            if (identity == null && identityFile == null) throw new IllegalStateException("an identity is required");
            return new SshTransport(this);
        }
    }
}
