package ai.lthn.ml.worker;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's finished-but-undelivered results on disk, so a crash loses none: an append-only
 * JSONL file, one {@code {"kept":task,"body":result}} line when a result could not be delivered
 * and one {@code {"settled":id}} line when it was delivered or given up, each synced before the
 * worker goes on. Opening replays the file (a torn last line, from a crash mid-write, is
 * dropped) and rewrites it with only what is still pending. One worker per file.
 */
final class ResultJournal implements AutoCloseable {
    private final Path file;
    private final FileChannel out;
    private final List<LemWorker.PendingResult> pending;

    private ResultJournal(Path file, FileChannel out, List<LemWorker.PendingResult> pending) {
        this.file = file;
        this.out = out;
        this.pending = pending;
    }

    /**
     * Opens (or creates) the journal in a state directory.
     *
     * @param dir the worker's state directory (created if missing)
     * @return the journal, with what it still holds in {@link #pending()}
     * @throws MlIOException if the directory or file cannot be used
     */
    static ResultJournal open(Path dir) {
        Path file = dir.resolve("pending-results.jsonl");
        try {
            Files.createDirectories(dir);
            Map<Integer, LemWorker.PendingResult> open = new LinkedHashMap<>();
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    JsonNode n;
                    try {
                        n = Json.reader().readTree(lines.get(i));
                    } catch (IOException e) {
                        if (i == lines.size() - 1) break; // torn by a crash mid-write
                        throw new MlIOException(file + ":" + (i + 1) + ": not a journal line: " + e.getMessage(), e);
                    }
                    if (n == null || n.isMissingNode()) continue;
                    if (n.has("settled")) open.remove(n.path("settled").asInt());
                    else {
                        LemWorker.Task t = LemWorker.Task.of(n.path("kept"));
                        open.put(t.id(), new LemWorker.PendingResult(t, (ObjectNode) n.path("body")));
                    }
                }
            }
            List<LemWorker.PendingResult> pending = new ArrayList<>(open.values());
            StringBuilder compacted = new StringBuilder();
            for (LemWorker.PendingResult p : pending) compacted.append(keptLine(p));
            AtomicFiles.write(file, o -> o.write(compacted.toString().getBytes(StandardCharsets.UTF_8)));
            FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new ResultJournal(file, out, pending);
        } catch (IOException e) {
            throw new MlIOException("open the worker journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** What the journal held when opened, oldest first. */
    List<LemWorker.PendingResult> pending() {
        return pending;
    }

    /** Records a result kept for later delivery (synced). */
    synchronized void kept(LemWorker.PendingResult p) {
        append(keptLine(p));
    }

    /** Records that a kept result was delivered or given up (synced). */
    synchronized void settled(int taskId) {
        append(Json.object().put("settled", taskId) + "\n");
    }

    private static String keptLine(LemWorker.PendingResult p) {
        ObjectNode task = Json.object()
                .put("id", p.task().id())
                .put("model_name", p.task().modelName())
                .put("prompt_text", p.task().promptText());
        task.putObject("config")
                .put("temperature", p.task().temperature())
                .put("max_tokens", p.task().maxTokens());
        ObjectNode line = Json.object();
        line.set("kept", task);
        line.set("body", p.body());
        return line + "\n";
    }

    private void append(String line) {
        try {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) out.write(b);
            out.force(false);
        } catch (IOException e) {
            throw new MlIOException("write the worker journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new MlIOException("close the worker journal " + file + ": " + e.getMessage(), e);
        }
    }
}
