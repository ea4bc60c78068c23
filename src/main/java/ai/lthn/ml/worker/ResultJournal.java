package ai.lthn.ml.worker;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's generated results that the coordinator has not taken yet, one file per task
 * ({@code task-<id>.json}, written by rename, so a file is whole or absent): a worker killed
 * before delivering sends them when it starts again instead of losing the generation. Delivery is
 * at least once: a crash after the coordinator took a result but before its file is removed sends
 * it again.
 */
final class ResultJournal {
    private static final Pattern NAME = Pattern.compile("task-(\\d{1,10})\\.json");

    private final Path dir;

    private ResultJournal(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating, owner-only where the file system has POSIX modes) the directory. */
    static ResultJournal open(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException notPosix) {
                    // keep the platform default
                }
            }
        } catch (IOException e) {
            throw new MlIOException("worker results directory " + dir + ": " + e.getMessage(), e);
        }
        return new ResultJournal(dir);
    }

    /** Writes a result before it is sent. */
    void keep(LemWorker.Task task, ObjectNode result) {
        ObjectNode record = Json.object();
        record.putObject("task")
                .put("id", task.id())
                .put("model_name", task.modelName())
                .put("prompt_text", task.promptText())
                .put("temperature", task.temperature())
                .put("max_tokens", task.maxTokens());
        record.set("result", result);
        AtomicFiles.write(file(task.id()), out -> Json.writer().writeValue(out, record));
    }

    /** Forgets a result the coordinator has settled (taken or refused). */
    void settled(int taskId) {
        try {
            Files.deleteIfExists(file(taskId));
        } catch (IOException e) {
            throw new MlIOException("remove " + file(taskId) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The results kept by an earlier run, in task order. A file that cannot be read is renamed to
     * {@code .bad} (kept for a person to look at) and reported, never deleted.
     */
    List<Kept> load(Consumer<String> log) {
        List<Kept> kept = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "task-*.json")) {
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (!m.matches()) continue;
                try {
                    JsonNode root = Json.reader().readTree(Files.readAllBytes(f));
                    JsonNode t = root.path("task");
                    JsonNode result = root.get("result");
                    if (!t.path("id").canConvertToInt()
                            || t.path("id").asInt() != Integer.parseUnsignedInt(m.group(1))
                            || result == null
                            || !result.isObject()) throw new IOException("not a kept result for its task");
                    kept.add(new Kept(LemWorker.Task.of(t), (ObjectNode) result));
                } catch (IOException | RuntimeException e) {
                    Path bad = f.resolveSibling(f.getFileName() + ".bad");
                    Files.move(f, bad, StandardCopyOption.REPLACE_EXISTING);
                    log.accept("kept result " + f + " is unreadable (" + e.getMessage() + "); moved to " + bad);
                }
            }
        } catch (IOException e) {
            throw new MlIOException("read worker results in " + dir + ": " + e.getMessage(), e);
        }
        kept.sort(Comparator.comparingInt(k -> k.task().id()));
        return kept;
    }

    private Path file(int taskId) {
        return dir.resolve("task-" + Integer.toUnsignedString(taskId) + ".json");
    }

    /** A result read back from the directory. */
    record Kept(LemWorker.Task task, ObjectNode result) {}
}
