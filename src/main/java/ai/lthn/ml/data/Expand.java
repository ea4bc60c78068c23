package ai.lthn.ml.data;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.internal.Threads;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.Point;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Generates responses for expansion prompts (go-ml's {@code ExpandPrompts}): each prompt is sent
 * to a {@link Backend} at temperature 0.7 with 2,048 tokens, each response appended as one JSON
 * line to {@code <output>/expand-<worker>.jsonl}, and {@code expansion_gen} /
 * {@code expansion_progress} points written to InfluxDB.
 *
 * <p>Resumable where go-ml was not: go-ml skipped the ids InfluxDB reported and nothing else, so
 * with InfluxDB down (or a write lost) a re-run generated everything again. Here a prompt is
 * done when its id is in any {@code expand-*.jsonl} of the output directory (each line is
 * synced to disk before the next is counted; a line cut short by a crash is dropped on the next
 * run and that prompt generated again) or, when InfluxDB answers, in {@code expansion_gen}.
 * Points go through the durable {@link BufferedInfluxWriter}, so an outage loses none. Up to
 * {@link Config#concurrency()} prompts are generated at once (go-ml: one).
 */
public final class Expand {
    /** go-ml's generation options. */
    public static final GenOpts OPTIONS =
            GenOpts.builder().temperature(0.7).maxTokens(2048).build();

    private Expand() {}

    /**
     * One pending prompt.
     *
     * @param id the seed id
     * @param domain the domain; empty when none
     * @param prompt the text sent to the model
     */
    public record Prompt(String id, String domain, String prompt) {
        /**
         * Checks the values.
         *
         * @param id the seed id
         * @param domain the domain; empty when none
         * @param prompt the text sent to the model
         */
        public Prompt {
            Objects.requireNonNull(id, "id");
            domain = domain == null ? "" : domain;
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    /**
     * How to run.
     *
     * @param model the model name (recorded in each line and point)
     * @param worker the worker name (the output file's and the points' tag)
     * @param outputDir where {@code expand-<worker>.jsonl} is appended
     * @param dryRun list what would be generated, generate nothing
     * @param limit at most this many prompts after skipping completed ones; 0 for all
     * @param concurrency prompts generated at once, at least 1
     */
    public record Config(String model, String worker, Path outputDir, boolean dryRun, int limit, int concurrency) {
        /**
         * Checks the values.
         *
         * @param model the model name (recorded in each line and point)
         * @param worker the worker name (the output file's and the points' tag)
         * @param outputDir where {@code expand-<worker>.jsonl} is appended
         * @param dryRun list what would be generated, generate nothing
         * @param limit at most this many prompts after skipping completed ones; 0 for all
         * @param concurrency prompts generated at once, at least 1
         */
        public Config {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(worker, "worker");
            Objects.requireNonNull(outputDir, "outputDir");
            if (model.isBlank()) throw new IllegalArgumentException("--model is required");
            if (worker.isBlank() || !worker.matches("[A-Za-z0-9._-]+"))
                throw new IllegalArgumentException(
                        "--worker must be a plain name ([A-Za-z0-9._-]), got \"" + worker + "\"");
            if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0");
            if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be at least 1");
        }

        /**
         * The output file.
         *
         * @return {@code <outputDir>/expand-<worker>.jsonl}
         */
        public Path output() {
            return outputDir.resolve("expand-" + worker + ".jsonl");
        }
    }

    /**
     * go-ml's {@code ExpandOutput} line.
     *
     * @param id the seed id
     * @param domain the domain (omitted when empty, as go-ml's {@code omitempty})
     * @param prompt the prompt
     * @param response the model's response
     * @param model the model
     * @param elapsedSeconds the generation time
     * @param chars the response's length in UTF-8 bytes (Go's {@code len})
     */
    record Line(
            @JsonProperty("id") String id,

            @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            String domain,

            @JsonProperty("prompt") String prompt,
            @JsonProperty("response") String response,
            @JsonProperty("model") String model,
            @JsonProperty("elapsed_seconds") double elapsedSeconds,
            @JsonProperty("chars") int chars) {}

    /**
     * What a run did.
     *
     * @param candidates prompts given
     * @param skipped already completed (in a file or in InfluxDB)
     * @param attempted prompts sent to the model
     * @param generated responses written
     * @param failed generations that failed (logged; retried by the next run)
     */
    public record Result(int candidates, int skipped, int attempted, int generated, int failed) {}

    /**
     * Runs.
     *
     * @param backend the model
     * @param prompts the pending prompts, in go-ml's order (priority, idx)
     * @param config how to run
     * @param completedInInflux the ids InfluxDB knows as generated; throws when it cannot answer
     *     (then only the files count), null when there is no InfluxDB
     * @param influx where points go; null for none
     * @param log progress lines
     * @return the counts
     * @throws MlIOException if the output cannot be read or written
     */
    public static Result run(
            Backend backend,
            List<Prompt> prompts,
            Config config,
            Supplier<Set<String>> completedInInflux,
            BufferedInfluxWriter influx,
            PrintWriter log) {
        Set<String> done = completedInFiles(config.outputDir(), config.output());
        int fromFiles = done.size();
        if (completedInInflux != null) {
            try {
                done.addAll(completedInInflux.get());
            } catch (RuntimeException e) {
                log.println("warning: could not check completed IDs in InfluxDB (" + e.getMessage() + "); skipping the "
                        + fromFiles + " found in the output files");
            }
        }
        List<Prompt> remaining = new ArrayList<>();
        for (Prompt p : prompts) if (!done.contains(p.id())) remaining.add(p);
        int skipped = prompts.size() - remaining.size();
        if (skipped > 0) log.printf("skipping %d already-completed prompts, %d remaining%n", skipped, remaining.size());
        if (config.limit() > 0 && config.limit() < remaining.size()) remaining = remaining.subList(0, config.limit());
        if (remaining.isEmpty()) {
            log.println("all prompts already completed, nothing to do");
            log.flush();
            return new Result(prompts.size(), skipped, 0, 0, 0);
        }
        if (config.dryRun()) {
            log.printf(
                    "dry-run: would process %d prompts with model %s (worker: %s)%n",
                    remaining.size(), config.model(), config.worker());
            for (int i = 0; i < remaining.size(); i++) {
                if (i >= 10) {
                    log.printf("  ... and %d more%n", remaining.size() - 10);
                    break;
                }
                log.printf(
                        "  %s (domain: %s)%n",
                        remaining.get(i).id(), remaining.get(i).domain());
            }
            log.flush();
            return new Result(prompts.size(), skipped, 0, 0, 0);
        }
        return generate(backend, remaining, config, influx, log, prompts.size(), skipped);
    }

    private static Result generate(
            Backend backend,
            List<Prompt> remaining,
            Config config,
            BufferedInfluxWriter influx,
            PrintWriter log,
            int candidates,
            int skipped) {
        Path output = config.output();
        int total = remaining.size();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger attempted = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(config.concurrency(), Threads.daemonFactory("lthn-ml-expand-"));
        try (FileOutputStream out = new FileOutputStream(output.toFile(), true)) {
            Object writeLock = new Object();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int idx = i;
                Prompt p = remaining.get(i);
                futures.add(pool.submit(() -> {
                    if (Thread.currentThread().isInterrupted()) return;
                    attempted.incrementAndGet();
                    long start = System.nanoTime();
                    String response;
                    try {
                        response = backend.generate(p.prompt(), OPTIONS);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        log.printf("[%d/%d] id=%s ERROR: %s%n", idx + 1, total, p.id(), e.getMessage());
                        log.flush();
                        return;
                    }
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    int chars = response.getBytes(StandardCharsets.UTF_8).length;
                    byte[] line;
                    try {
                        line = (Json.goCompactWriter()
                                                .writeValueAsString(new Line(
                                                        p.id(),
                                                        p.domain(),
                                                        p.prompt(),
                                                        response,
                                                        config.model(),
                                                        elapsed,
                                                        chars))
                                        + "\n")
                                .getBytes(StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new MlIOException("encode " + p.id() + ": " + e.getMessage(), e);
                    }
                    int n;
                    synchronized (writeLock) {
                        try {
                            out.write(line);
                            out.getFD().sync(); // durable before it counts as done
                        } catch (IOException e) {
                            throw new MlIOException("append to " + output + ": " + e.getMessage(), e);
                        }
                        n = completed.incrementAndGet();
                    }
                    if (influx != null) {
                        try {
                            influx.write(points(config, p, idx, elapsed, chars, n, total));
                        } catch (RuntimeException e) { // a refused point: logged, as go-ml does
                            log.printf(
                                    "[%d/%d] id=%s influx write error: %s%n", idx + 1, total, p.id(), e.getMessage());
                        }
                    }
                    log.printf(
                            Locale.ROOT, "[%d/%d] id=%s chars=%d time=%.1fs%n", idx + 1, total, p.id(), chars, elapsed);
                    log.flush();
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) throw r;
                    throw new IllegalStateException(c);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // what was written is kept; the rest is for the next run
            log.println("interrupted: the generated responses are kept; run again to continue");
        } catch (IOException e) {
            throw new MlIOException("open " + output + ": " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        log.printf("expand complete: %d/%d prompts generated, output: %s%n", completed.get(), total, output);
        log.flush();
        return new Result(candidates, skipped, attempted.get(), completed.get(), failed.get());
    }

    /** go-ml's L12 and L13 lines. */
    static List<Point> points(Config config, Prompt p, int idx, double elapsed, int chars, int completed, int total) {
        Point.Builder gen =
                Point.builder("expansion_gen").tag("i", Integer.toString(idx)).tag("w", config.worker());
        if (!p.domain().isEmpty()) gen.tag("d", p.domain()); // go-ml wrote an invalid empty tag
        gen.field("seed_id", p.id())
                .field("gen_time", elapsed)
                .field("chars", (long) chars)
                .field("model", config.model());
        Point progress = Point.builder("expansion_progress")
                .tag("worker", config.worker())
                .field("completed", (long) completed)
                .field("target", (long) total)
                .field("pct", (double) completed / total * 100.0)
                .build();
        return List.of(gen.build(), progress);
    }

    /**
     * The ids in every {@code expand-*.jsonl} of {@code dir}. A last line cut short by a crash (no
     * newline) does not count; in {@code own} (this worker's file, which no one else appends to)
     * it is removed, so the prompt is generated again and the file stays valid JSONL. Another
     * worker's file is only read: its last line may be one being written.
     */
    static Set<String> completedInFiles(Path dir, Path own) {
        Set<String> ids = new HashSet<>();
        if (!Files.isDirectory(dir)) return ids;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "expand-*.jsonl")) {
            for (Path f : files) {
                long[] complete = {0}; // the end of the last line a newline closed
                long[] end = {0};
                Jsonl.scan(f, Integer.MAX_VALUE - 8, (n, start, next, bytes, length, terminated) -> {
                    end[0] = next;
                    if (!terminated) return; // cut short by a crash: not done
                    complete[0] = next;
                    if (length == 0) return;
                    try {
                        JsonNode node = Json.goTree(bytes, 0, length);
                        if (node != null && node.path("id").isTextual())
                            ids.add(node.path("id").asText());
                    } catch (IOException notJson) {
                        // a complete but foreign line: not an id
                    }
                });
                if (complete[0] < end[0] && f.getFileName().equals(own.getFileName())) {
                    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                        raf.setLength(complete[0]);
                    }
                }
            }
        } catch (IOException e) {
            throw new MlIOException("read " + dir + ": " + e.getMessage(), e);
        }
        return ids;
    }
}
