package ai.lthn.ml.backend;

import ai.lthn.ml.internal.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;

/**
 * Drains a child process's merged output on a daemon thread (so the child never blocks on a full
 * pipe), sends each line to the log, and keeps the last few lines for error messages.
 */
final class ProcessOutput {
    private static final int MAX_LINE = 4096;
    private final ArrayDeque<String> last = new ArrayDeque<>();
    private final int keep;
    private final Thread thread;

    ProcessOutput(InputStream in, int keep, Logger log, String name) {
        this.keep = keep;
        this.thread = Threads.daemon(() -> pump(in, log), name + "-output");
        thread.start();
    }

    private void pump(InputStream in, Logger log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.length() > MAX_LINE) line = line.substring(0, MAX_LINE) + "...";
                log.debug("{}", line);
                synchronized (last) {
                    if (last.size() == keep) last.removeFirst();
                    last.addLast(line);
                }
            }
        } catch (IOException e) {
            // the process ended or its pipe was closed
        }
    }

    /** Waits briefly for the output to be drained (after the process has exited). */
    void awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines, oldest first. */
    List<String> lastLines() {
        synchronized (last) {
            return List.copyOf(last);
        }
    }

    /** The last lines as an indented block for an error message, or a note that there were none. */
    String describe() {
        List<String> lines = lastLines();
        if (lines.isEmpty()) return " (no output)";
        StringBuilder sb = new StringBuilder("; last output:");
        for (String l : lines) sb.append("\n  ").append(l);
        return sb.toString();
    }
}
