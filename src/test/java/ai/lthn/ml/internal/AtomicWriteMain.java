package ai.lthn.ml.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child process for {@link AtomicFilesTest}: writes {@code args[0]} atomically, writes half of
 * the content, says "writing" on stdout and then waits (for a signal) before the rest.
 */
public final class AtomicWriteMain {
    public static void main(String[] args) {
        AtomicFiles.write(Path.of(args[0]), out -> {
            out.write("half of the new content".getBytes(StandardCharsets.UTF_8));
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(" and the rest".getBytes(StandardCharsets.UTF_8));
        });
    }
}
