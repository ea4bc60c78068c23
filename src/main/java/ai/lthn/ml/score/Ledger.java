package ai.lthn.ml.score;

import ai.lthn.ml.Backend;
import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's ledger: an append-only file with one line per completed backend call (its key, and the
 * reply or the failure), so that a run stopped at any moment — Ctrl-C, {@code kill -9}, a power
 * cut — is resumed without redoing a call that completed, and gives the same output as a run
 * that was never stopped.
 *
 * <p>A call's key is the SHA-256 of the run's scope (judge model and URL), the call kind, the
 * options and the whole prompt or conversation (which holds the rubric and the response). Each
 * entry is one {@code write} of one line; a line cut short by a crash is dropped when the ledger
 * is opened again (that call is redone). The file is synced every second and on {@link #close()}.
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.open(Path.of("scores.json.ledger"), "judge=gemma3:27b", true, false)) {
 *     Judge judge = Judge.builder(ledger.wrap(backend)).build();
 *     ...
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class Ledger implements AutoCloseable {
    private static final long SYNC_EVERY_NANOS = 1_000_000_000L;

    private final Path path;
    private final String scope;
    private final boolean retryFailed;
    /** Not a FileChannel: an interrupt of a writing thread would close a channel for everyone. */
    private final java.io.FileOutputStream channel;
    /** Entries of the run being resumed, per key in the order they were recorded. */
    private final Map<String, List<JsonNode>> loaded = new ConcurrentHashMap<>();
    /** How many calls with each key this run has made or reused. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> seen = new ConcurrentHashMap<>();

    private long lastSync = System.nanoTime();
    private long reused;
    private long recorded;

    private Ledger(Path path, String scope, boolean retryFailed, java.io.FileOutputStream channel) {
        this.path = path;
        this.scope = scope;
        this.retryFailed = retryFailed;
        this.channel = channel;
    }

    /**
     * Opens a ledger.
     *
     * @param path the ledger file
     * @param scope what the recorded replies depend on besides the prompt (e.g. judge model and
     *     URL); a ledger written under another scope is refused on resume
     * @param resume reuse what the file holds; false starts it afresh
     * @param retryFailed when resuming, redo calls that failed instead of reusing their failure
     * @return the open ledger
     * @throws InvalidInputException if a resumed ledger belongs to another scope or is corrupt
     * @throws MlIOException if the file cannot be read or written
     */
    public static Ledger open(Path path, String scope, boolean resume, boolean retryFailed) {
        Objects.requireNonNull(scope, "scope");
        try {
            if (resume && Files.exists(path)) {
                Ledger l = new Ledger(path, scope, retryFailed, null);
                long keep = l.load();
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(path.toFile(), "rw")) {
                    f.setLength(keep); // a line cut short by a crash
                }
                java.io.FileOutputStream ch = new java.io.FileOutputStream(path.toFile(), true);
                Ledger ledger = new Ledger(path, scope, retryFailed, ch);
                ledger.loaded.putAll(l.loaded);
                return ledger;
            }
            java.io.FileOutputStream ch = new java.io.FileOutputStream(path.toFile(), false);
            Ledger ledger = new Ledger(path, scope, retryFailed, ch);
            ObjectNode header = Json.object().put("ledger", 1).put("scope", scope);
            ledger.append(header);
            return ledger;
        } catch (IOException e) {
            throw new MlIOException("ledger " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * How many calls a ledger records as answered and as failed (for a report), without opening
     * it for a run. A line cut short by a crash is not counted.
     *
     * @param path the ledger file
     * @return the counts
     * @throws InvalidInputException if a complete line is not JSON
     * @throws MlIOException if the file cannot be read
     */
    public static Calls calls(Path path) {
        Ledger reader = new Ledger(path, null, false, null);
        try {
            reader.load();
        } catch (IOException e) {
            throw new MlIOException("ledger " + path + ": " + e.getMessage(), e);
        }
        long ok = 0;
        long failed = 0;
        for (List<JsonNode> entries : reader.loaded.values())
            for (JsonNode entry : entries)
                if (entry.path("ok").asBoolean()) ok++;
                else failed++;
        return new Calls(ok, failed);
    }

    /**
     * A ledger's call counts.
     *
     * @param ok calls recorded with a reply
     * @param failed calls recorded with a failure
     */
    public record Calls(long ok, long failed) {}

    /** Reads the file; returns the length of its complete lines. */
    private long load() throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        int start = 0;
        long line = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            if (end == bytes.length) break; // cut short: dropped
            line++;
            JsonNode node;
            try {
                node = Json.reader().readTree(new String(bytes, start, end - start, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new InvalidInputException(path.toString(), line, "not a ledger line: " + e.getMessage(), e);
            }
            if (line == 1) {
                if (scope != null && !node.path("scope").asText().equals(scope))
                    throw new InvalidInputException(
                            path.toString(),
                            1,
                            "the ledger was written for " + node.path("scope").asText() + ", not " + scope
                                    + ": start afresh (without --resume) or use the same judge");
            } else {
                String key = node.path("key").asText();
                if (!key.isEmpty())
                    loaded.computeIfAbsent(key, k -> new java.util.ArrayList<>())
                            .add(node);
            }
            start = end + 1;
        }
        if (line == 0) throw new InvalidInputException(path.toString(), 0, "empty ledger: no header");
        return start;
    }

    /**
     * A backend that answers from the ledger when it can and records every call it makes.
     *
     * @param backend the real backend
     * @return the recording backend
     */
    public Backend wrap(Backend backend) {
        return new KeyedBackend(backend, scope, (key, opts, real) -> call(key, real));
    }

    /**
     * The n-th call with a key in this run reuses the n-th entry the resumed run recorded for it
     * (so a prompt that occurs twice is still asked twice, as go-ml asks it), or is made.
     */
    private String call(String key, java.util.function.Supplier<String> call) {
        int occurrence = seen.computeIfAbsent(key, k -> new java.util.concurrent.atomic.AtomicInteger())
                .getAndIncrement();
        List<JsonNode> previous = loaded.get(key);
        JsonNode hit = previous != null && occurrence < previous.size() ? previous.get(occurrence) : null;
        if (hit != null && (hit.path("ok").asBoolean() || !retryFailed)) {
            synchronized (this) {
                reused++;
            }
            if (hit.path("ok").asBoolean()) return hit.path("reply").asText();
            throw new MlException("(from the ledger) " + hit.path("error").asText());
        }
        ObjectNode entry = Json.object().put("key", key);
        try {
            String reply = call.get();
            entry.put("ok", true).put("reply", reply);
            record(entry);
            return reply;
        } catch (MlException e) {
            if (e instanceof ai.lthn.ml.GenerationCancelledException
                    || Thread.currentThread().isInterrupted())
                throw e; // a cancelled call did not complete: it is redone on resume
            entry.put("ok", false).put("error", String.valueOf(e.getMessage()));
            record(entry);
            throw e;
        }
    }

    private void record(ObjectNode entry) {
        try {
            append(entry);
        } catch (IOException e) {
            throw new MlIOException("ledger " + path + ": " + e.getMessage(), e);
        }
    }

    private synchronized void append(ObjectNode node) throws IOException {
        byte[] line = (Json.writer().writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        channel.write(line);
        recorded++;
        long now = System.nanoTime();
        if (now - lastSync >= SYNC_EVERY_NANOS) {
            channel.getFD().sync();
            lastSync = now;
        }
    }

    /**
     * Calls answered from the ledger in this run.
     *
     * @return the count
     */
    public synchronized long reused() {
        return reused;
    }

    /**
     * Calls recorded in this run (the header included).
     *
     * @return the count
     */
    public synchronized long recorded() {
        return recorded;
    }

    /** Syncs and closes the file. */
    @Override
    public synchronized void close() {
        try {
            channel.getFD().sync();
            channel.close();
        } catch (IOException e) {
            throw new MlIOException("ledger " + path + ": " + e.getMessage(), e);
        }
    }
}
