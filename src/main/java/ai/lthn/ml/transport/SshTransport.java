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
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;

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
    private static final long DEFAULT_MAX_OUTPUT = 16L * 1024 * 1024;

    private final String target;
    private final SshClient client;
    private final ClientSession session;
    private final SftpClient sftp;
    private final long maxOutputBytes;

    /** The default wait for each SFTP reply. */
    static final Duration DEFAULT_SFTP_TIMEOUT = Duration.ofMinutes(2);

    /** A keep-alive at a third of the idle limit, at most every 30 s. */
    static Duration heartbeat(Duration idle) {
        Duration third = idle.dividedBy(3);
        Duration max = Duration.ofSeconds(30);
        return third.compareTo(max) > 0 ? max : third.isZero() ? Duration.ofMillis(1) : third;
    }

    private SshTransport(Builder b) {
        this.target = b.user + "@" + b.host + ":" + b.port;
        this.maxOutputBytes = b.maxOutputBytes;
        client = SshClient.setUpDefaultClient();
        // unknown keys: refused, or (accept-new) accepted once and appended to the file; a key that
        // differs from the one on file is refused either way (no ModifiedServerKeyAcceptor)
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(
                b.acceptNewHostKeys
                        ? org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier.INSTANCE
                        : RejectAllServerKeyVerifier.INSTANCE,
                b.knownHosts));
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        // MINA waits for each SFTP reply as long as the session's idle timeout: that is the SFTP
        // timeout; a keep-alive well inside it keeps an idle session (between agent polls) open
        org.apache.sshd.core.CoreModuleProperties.IDLE_TIMEOUT.set(client, b.sftpTimeout);
        org.apache.sshd.core.CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, heartbeat(b.sftpTimeout));
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

    /**
     * A builder for {@code user@host}.
     *
     * @param host the host name or address; must not start with {@code -}
     * @param user the login user name
     * @return a builder with port 22, a 10 s connect timeout and a 16 MiB output limit; a
     *     known_hosts file and an identity must still be given
     * @throws IllegalArgumentException if the host or user is not a valid name
     */
    public static Builder builder(String host, String user) {
        return new Builder(host, user);
    }

    /**
     * Runs the command under a POSIX shell that dies with the channel: the command gets
     * {@code /dev/null} as stdin and runs in the background, while a watcher reads the channel's
     * stdin, which the client never writes or closes. When the channel closes (a timeout here, or
     * this process or its connection dying), the watcher sees end of file and kills the command:
     * its whole process group when the shell leads one (OpenSSH's sshd starts every session in a
     * new session), else the command alone. The command's exit status is passed on.
     */
    static final String WRAPPER = "exec 3<&0 </dev/null; \"$@\" 3<&- & c=$!; "
            + "{ read -r _ <&3; if kill -0 -$$ 2>/dev/null; then kill -KILL -$$; else kill -KILL $c; fi; } & w=$!; "
            + "exec 3<&-; wait $c; s=$?; kill -KILL $w 2>/dev/null; exit $s";

    @Override
    public Result run(List<String> argv, Duration timeout) {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        List<String> wrapped = new ArrayList<>(argv.size() + 4);
        wrapped.addAll(List.of("sh", "-c", WRAPPER, "sh"));
        wrapped.addAll(argv);
        String command = ShellQuote.join(wrapped);
        String what = "ssh " + target + " " + argv.get(0);
        try (ChannelExec ch = session.createExecChannel(command)) {
            Capped out = new Capped(maxOutputBytes, () -> ch.close(true));
            Capped err = new Capped(maxOutputBytes, () -> ch.close(true));
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(timeout);
            Set<ClientChannelEvent> events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (out.overflowed() || err.overflowed())
                throw new MlIOException(
                        what + ": wrote more than " + maxOutputBytes + " bytes on "
                                + (out.overflowed() ? "stdout" : "stderr") + "; the command was stopped",
                        new IOException("output limit"));
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                ch.close(true); // the wrapper sees its stdin close and kills the command
                throw new MlTimeoutException(
                        what + ": still running after " + timeout.toMillis() + " ms; stopped",
                        timeout,
                        out.text(),
                        null);
            }
            Integer status = ch.getExitStatus();
            return new Result(status == null ? -1 : status, out.text(), err.text());
        } catch (IOException e) {
            throw new MlIOException(what + ": " + e.getMessage(), e);
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

    /**
     * Copies {@code local} to the remote path without ever leaving it half written: the bytes go
     * to a temporary name next to it ({@code remote.<random>.part}), whose size is checked, and
     * are then renamed over the target (OpenSSH's {@code posix-rename} where offered, else an
     * overwriting SFTP rename). A failed upload removes its temporary; a killed one leaves only
     * the {@code .part} file, and the old content in place.
     */
    @Override
    public void copyTo(Path local, String remote) {
        String tmp = remote + "."
                + Long.toHexString(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".part";
        boolean renamed = false;
        try {
            long sent;
            try (InputStream in = Files.newInputStream(local);
                    OutputStream out = sftp.write(
                            tmp,
                            SftpClient.OpenMode.Write,
                            SftpClient.OpenMode.Create,
                            SftpClient.OpenMode.Exclusive)) {
                sent = in.transferTo(out);
            }
            long size = sftp.stat(tmp).getSize();
            if (size != sent)
                throw new MlIOException(
                        "sftp put " + remote + " to " + target + ": the server holds " + size + " of " + sent
                                + " bytes",
                        new IOException("short write"));
            OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            if (posix != null && posix.isSupported()) posix.posixRename(tmp, remote);
            else sftp.rename(tmp, remote, SftpClient.CopyMode.Overwrite, SftpClient.CopyMode.Atomic);
            renamed = true;
        } catch (IOException e) {
            throw new MlIOException("sftp put " + remote + " to " + target + ": " + e.getMessage(), e);
        } finally {
            if (!renamed) removeQuietly(tmp);
        }
    }

    private void removeQuietly(String remote) {
        try {
            sftp.remove(remote);
        } catch (IOException | RuntimeException ignored) {
            // absent already, or the session is gone: the .part file is all that remains
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

    /** Output kept up to a limit; past it the command is stopped (a runaway cannot exhaust memory). */
    private static final class Capped extends OutputStream {
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        private final long limit;
        private final Runnable onOverflow;
        private boolean overflowed;

        Capped(long limit, Runnable onOverflow) {
            this.limit = limit;
            this.onOverflow = onOverflow;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (this) {
                if (overflowed) return;
                if (buf.size() + (long) len <= limit) {
                    buf.write(b, off, len);
                    return;
                }
                overflowed = true;
            }
            onOverflow.run(); // outside the lock: closing the channel may call back
        }

        synchronized boolean overflowed() {
            return overflowed;
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
        private boolean acceptNewHostKeys;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration sftpTimeout = DEFAULT_SFTP_TIMEOUT;
        private long maxOutputBytes = DEFAULT_MAX_OUTPUT;

        private Builder(String host, String user) {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            if (!HOST.matcher(host).matches() || host.startsWith("-"))
                throw new IllegalArgumentException("not a host name: " + host);
            if (!USER.matcher(user).matches()) throw new IllegalArgumentException("not a user name: " + user);
            this.host = host;
            this.user = user;
        }

        /**
         * The port; default 22.
         *
         * @param value the SSH port, 1..65535
         * @return this builder
         */
        public Builder port(int value) {
            if (value < 1 || value > 65535) throw new IllegalArgumentException("port outside 1..65535: " + value);
            this.port = value;
            return this;
        }

        /**
         * The private key file (OpenSSH or PEM format, unencrypted).
         *
         * @param value the key file, read when {@link #build()} connects
         * @return this builder
         */
        public Builder identity(Path value) {
            this.identityFile = Objects.requireNonNull(value, "identity");
            return this;
        }

        /**
         * A key pair held in memory.
         *
         * @param value the key pair; offered before a key file's keys
         * @return this builder
         */
        public Builder identity(KeyPair value) {
            this.identity = Objects.requireNonNull(value, "identity");
            return this;
        }

        /**
         * The known_hosts file the server's key must be in (required: there is no trust on first use).
         *
         * @param value the known_hosts file
         * @return this builder
         */
        public Builder knownHosts(Path value) {
            this.knownHosts = Objects.requireNonNull(value, "knownHosts");
            return this;
        }

        /**
         * OpenSSH's {@code StrictHostKeyChecking=accept-new}: a host with no key in the known_hosts
         * file is accepted and its key appended to the file; a host whose key differs from the
         * one on file is still refused. Default off: an unknown key is refused. (go-ml accepted
         * any key, changed ones included.)
         *
         * @param value whether to accept and record the key of a host not yet known
         * @return this builder
         */
        public Builder acceptNewHostKeys(boolean value) {
            this.acceptNewHostKeys = value;
            return this;
        }

        /**
         * The limit on connecting and authenticating; default 10 s (go-ml's ConnectTimeout).
         *
         * @param value the limit for each of connecting and authenticating; positive
         * @return this builder
         */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Checks.positive(value, "connectTimeout");
            return this;
        }

        /**
         * How long an SFTP request (list, get, put, rename, remove) waits for each reply from the
         * server; default 2 minutes. A server that stops answering fails the call with an {@link
         * MlIOException} after this long instead of holding the caller. The session stays open
         * while idle: a keep-alive is sent at a third of this (at most every 30 s).
         *
         * @param value the wait for each SFTP reply; positive
         * @return this builder
         */
        public Builder sftpTimeout(Duration value) {
            this.sftpTimeout = Checks.positive(value, "sftpTimeout");
            return this;
        }

        /**
         * The most output a command may write on stdout and on stderr, each; default 16 MiB. A
         * command that writes more is stopped and {@link #run} fails, rather than returning cut
         * output.
         *
         * @param value the limit in bytes per stream, 1..{@code Integer.MAX_VALUE - 8}
         * @return this builder
         */
        public Builder maxOutputBytes(long value) {
            if (value < 1 || value > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException(
                        "maxOutputBytes outside 1.." + (Integer.MAX_VALUE - 8) + ": " + value);
            this.maxOutputBytes = value;
            return this;
        }

        private List<KeyPair> identities() {
            List<KeyPair> out = new ArrayList<>();
            if (identity != null) out.add(identity);
            if (identityFile != null) {
                try {
                    int before = out.size();
                    for (KeyPair kp : new FileKeyPairProvider(identityFile).loadKeys(null)) out.add(kp);
                    if (out.size() == before) throw new IllegalStateException("no key could be loaded from it");
                } catch (RuntimeException e) {
                    throw new MlException("cannot read SSH key " + identityFile + ": " + e.getMessage(), e);
                }
            }
            return out;
        }

        /**
         * Connects and authenticates.
         *
         * @return the connected transport; close it
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
