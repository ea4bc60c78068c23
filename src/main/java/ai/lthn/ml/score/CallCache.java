package ai.lthn.ml.score;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * Replies to deterministic backend calls (temperature 0) shared across runs: a judge asked the
 * same rubric about the same response by the same model answers from the cache. Keyed as the
 * {@link Ledger} keys calls (scope, kind, options, whole prompt); successful replies only; at
 * most {@code maxEntries}, the oldest dropped first (the file is compacted when it doubles).
 * Calls at any other temperature pass straight through.
 *
 * <p>Thread-safe. One process at a time per file.
 */
public final class CallCache implements AutoCloseable {

    private final Path file;
    private final String scope;
    private final int maxEntries;
    private final LinkedHashMap<String, String> entries = new LinkedHashMap<>(16, 0.75f, true);
    private FileOutputStream out;
    private int lines;
    private long hits;

    private CallCache(Path file, String scope, int maxEntries) {
        this.file = file;
        this.scope = scope;
        this.maxEntries = maxEntries;
    }

    /**
     * Opens (or creates) a cache file.
     *
     * @param file the cache file, e.g. {@code ~/.cache/lthn-ml/judge-calls.jsonl}
     * @param scope what replies depend on besides the prompt (model and URL)
     * @param maxEntries the most replies kept
     * @return the cache
     * @throws MlIOException if the file cannot be read or written
     */
    public static CallCache open(Path file, String scope, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries < 1");
        CallCache c = new CallCache(file, Objects.requireNonNull(scope, "scope"), maxEntries);
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            if (Files.exists(file)) {
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        c.lines++;
                        try {
                            JsonNode n = Json.reader().readTree(line);
                            c.put(n.path("key").asText(), n.path("reply").asText());
                        } catch (IOException cutShort) {
                            // a line cut short by a crash: that reply is asked again
                        }
                    }
                }
            }
            if (Files.exists(file)) {
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                    long end = f.length();
                    while (end > 0) { // drop a last line cut short, so the next entry starts clean
                        f.seek(end - 1);
                        if (f.read() == '\n') break;
                        end--;
                    }
                    f.setLength(end);
                }
            }
            c.out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            throw new MlIOException("cache " + file + ": " + e.getMessage(), e);
        }
        return c;
    }

    /**
     * A backend answering temperature-0 calls from the cache when it can, and caching what it asks.
     *
     * @param backend the real backend
     * @return the caching backend
     */
    public Backend wrap(Backend backend) {
        return new KeyedBackend(backend, scope, this::call);
    }

    private String call(String key, GenOpts opts, java.util.function.Supplier<String> call) {
        if (opts.temperature() != 0) return call.get();
        synchronized (this) {
            String hit = entries.get(key);
            if (hit != null) {
                hits++;
                return hit;
            }
        }
        String reply = call.get();
        synchronized (this) {
            put(key, reply);
            try {
                out.write((Json.object().put("key", key).put("reply", reply) + "\n").getBytes(StandardCharsets.UTF_8));
                if (++lines > 2 * maxEntries) compact();
            } catch (IOException e) {
                throw new MlIOException("cache " + file + ": " + e.getMessage(), e);
            }
        }
        return reply;
    }

    private void put(String key, String reply) {
        entries.put(key, reply);
        while (entries.size() > maxEntries)
            entries.remove(entries.keySet().iterator().next());
    }

    private void compact() throws IOException {
        out.close();
        AtomicFiles.write(file, o -> {
            for (var e : entries.entrySet())
                o.write((Json.object().put("key", e.getKey()).put("reply", e.getValue()) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        });
        lines = entries.size();
        out = new FileOutputStream(file.toFile(), true);
    }

    /**
     * Calls answered from the cache since it was opened.
     *
     * @return the count
     */
    public synchronized long hits() {
        return hits;
    }

    /**
     * Replies held.
     *
     * @return the count
     */
    public synchronized int size() {
        return entries.size();
    }

    /** Flushes and closes the file. */
    @Override
    public synchronized void close() {
        try {
            out.getFD().sync();
            out.close();
        } catch (IOException e) {
            throw new MlIOException("cache " + file + ": " + e.getMessage(), e);
        }
    }
}
