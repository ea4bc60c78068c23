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
     * @param argv the program and its arguments; each reaches the remote program unchanged (never
     *     interpreted by a shell)
     * @param timeout the most the command may run
     * @return the exit code and the complete stdout and stderr; a non-zero exit is a result, not an
     *     exception
     * @throws ai.lthn.ml.MlTimeoutException if it runs longer (it is then killed)
     * @throws ai.lthn.ml.MlIOException if it writes more output than the transport keeps (it is
     *     then stopped; output is never returned cut short)
     */
    Result run(List<String> argv, Duration timeout);

    /**
     * The entry names in a remote directory (no {@code .} or {@code ..}), sorted.
     *
     * @param directory the remote directory path
     * @return the entry names (not paths), sorted; empty for an empty directory
     * @throws ai.lthn.ml.MlIOException if the directory cannot be listed
     */
    List<String> list(String directory);

    /**
     * Copies a remote file to {@code local}: written to a temporary file next to it, checked
     * against the remote size, then moved into place, so {@code local} is never half written.
     *
     * @param remote the remote file path
     * @param local the local file to create or replace
     * @throws ai.lthn.ml.MlIOException if the copy fails (then {@code local} is unchanged)
     */
    void copyFrom(String remote, Path local);

    /**
     * Copies {@code local} to the remote path, never leaving it half written: an interrupted or
     * failed copy leaves the previous content in place.
     *
     * @param local the local file to send
     * @param remote the remote file path to create or replace
     * @throws ai.lthn.ml.MlIOException if the copy fails
     */
    void copyTo(Path local, String remote);

    /** Closes the connection. */
    @Override
    void close();

    /**
     * A finished command.
     *
     * @param exitCode the remote program's exit status
     * @param stdout everything it wrote to stdout, decoded as UTF-8
     * @param stderr everything it wrote to stderr, decoded as UTF-8
     */
    record Result(int exitCode, String stdout, String stderr) {
        /**
         * Validates.
         *
         * @param exitCode the exit status
         * @param stdout the standard output; not {@code null}
         * @param stderr the standard error; not {@code null}
         * @throws NullPointerException if an output is {@code null}
         */
        public Result {
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        /**
         * Whether the exit code was 0.
         *
         * @return {@code exitCode() == 0}
         */
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
