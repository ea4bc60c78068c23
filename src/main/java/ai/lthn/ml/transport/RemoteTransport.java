package ai.lthn.ml.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Commands and files on a remote host, for the checkpoint agent (go-ml's {@code RemoteTransport}).
 * Unlike go-ml's, a command is an argument list, never a shell string: each argument reaches the
 * remote program as it was given, so names read from the remote side cannot inject commands;
 * directories are listed over SFTP instead of by parsing {@code ls}; stdout and stderr are kept
 * apart; every operation has a time limit.
 */
public interface RemoteTransport extends AutoCloseable {

    /**
     * Runs a program with arguments and waits for it, at most {@code timeout}.
     *
     * @throws ai.lthn.ml.MlTimeoutException if it runs longer (it is then killed)
     * @throws ai.lthn.ml.MlIOException if it writes more output than the transport keeps (it is
     *     then stopped; output is never returned cut short)
     */
    Result run(List<String> argv, Duration timeout);

    /** The entry names in a remote directory (no {@code .} or {@code ..}), sorted. */
    List<String> list(String directory);

    /**
     * Copies a remote file to {@code local}: written to a temporary file next to it, checked
     * against the remote size, then moved into place, so {@code local} is never half written.
     */
    void copyFrom(String remote, Path local);

    /**
     * Copies {@code local} to the remote path, never leaving it half written: an interrupted or
     * failed copy leaves the previous content in place.
     */
    void copyTo(Path local, String remote);

    /** Closes the connection. */
    @Override
    void close();

    /** A finished command. */
    record Result(int exitCode, String stdout, String stderr) {
        /** Validates. */
        public Result {
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        /** Whether the exit code was 0. */
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
