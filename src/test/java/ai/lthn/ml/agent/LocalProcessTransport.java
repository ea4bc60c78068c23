package ai.lthn.ml.agent;

import ai.lthn.ml.transport.RemoteTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The local machine as the "remote" host: argv runs as a real local process (no shell), files copy locally. */
final class LocalProcessTransport implements RemoteTransport {
    final List<List<String>> commands = new ArrayList<>();

    @Override
    public Result run(List<String> argv, Duration timeout) {
        commands.add(List.copyOf(argv));
        try {
            Process p = new ProcessBuilder(argv).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + argv);
            }
            return new Result(
                    p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> list(String directory) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void copyFrom(String remote, Path local) {
        try {
            java.nio.file.Files.copy(Path.of(remote), local);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void copyTo(Path local, String remote) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}
