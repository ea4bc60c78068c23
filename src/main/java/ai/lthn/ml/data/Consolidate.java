package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.transport.RemoteTransport;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Pulls response files from the generation host and merges them by {@code idx} (go-ml's {@code
 * Consolidate}): the remote directory is listed and each file matching the pattern copied over
 * the {@link RemoteTransport} (SFTP; go-ml ran {@code ssh host "ls dir/pattern"} and {@code scp}
 * with the names it printed); then every local file matching the pattern is read, the first line
 * of each {@code idx} wins, and the lines are written sorted by {@code idx}.
 *
 * <p>Beyond go-ml: no remote name reaches a shell; a name that is not a plain file name is
 * refused; the merge keeps only each line's position in memory (its bytes are copied from the
 * file when the output is written), so the input size does not bound the heap; lines that are
 * not JSON or carry no integer {@code idx} are reported with {@code file:line}; the output is
 * written atomically.
 */
public final class Consolidate {
    /** go-ml's line limit. */
    static final int MAX_LINE_BYTES = Jsonl.MAX_LINE_BYTES;

    private static final int SHOWN_PROBLEMS = 10;

    private Consolidate() {}

    /**
     * What to pull and where to merge it.
     *
     * @param remoteDir the directory on the host holding the response files
     * @param pattern a file-name glob, go-ml's {@code gold*.jsonl}
     * @param outputDir where the files are copied; go-ml's default {@code responses}
     * @param merged the merged file; null for go-ml's {@code <outputDir>/../gold-merged.jsonl}
     */
    public record Config(String remoteDir, String pattern, Path outputDir, Path merged) {
        /**
         * Checks the settings.
         *
         * @param remoteDir the directory on the host holding the response files
         * @param pattern a file-name glob, go-ml's {@code gold*.jsonl}
         * @param outputDir where the files are copied; go-ml's default {@code responses}
         * @param merged the merged file; null for go-ml's {@code <outputDir>/../gold-merged.jsonl}
         */
        public Config {
            Objects.requireNonNull(remoteDir, "remoteDir");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(outputDir, "outputDir");
            if (pattern.isBlank() || pattern.contains("/"))
                throw new IllegalArgumentException(
                        "--pattern must be a file-name glob without '/', got \"" + pattern + "\"");
        }

        /** The merged file's path. */
        Path mergedPath() {
            if (merged != null) return merged;
            Path parent = outputDir.toAbsolutePath().normalize().getParent();
            return (parent == null ? outputDir : parent).resolve("gold-merged.jsonl");
        }
    }

    /**
     * What the merge found.
     *
     * @param pulled files copied from the host
     * @param unique distinct {@code idx} values written
     * @param skipped lines without a readable {@code idx} (blank lines included, as go-ml counts them)
     * @param merged the file written
     */
    public record Result(int pulled, int unique, long skipped, Path merged) {}

    /**
     * Pulls and merges, printing go-ml's lines to {@code out}.
     *
     * @param remote the host's transport; null to merge what is already local
     * @param config what and where
     * @param out progress
     * @return the counts
     * @throws MlException if the remote directory cannot be listed (go-ml's {@code list remote files: ...})
     * @throws MlIOException if a local file cannot be read or the output written
     */
    public static Result run(RemoteTransport remote, Config config, PrintWriter out) {
        PathMatcher match = FileSystems.getDefault().getPathMatcher("glob:" + config.pattern());
        try {
            Files.createDirectories(config.outputDir());
        } catch (IOException e) {
            throw new MlIOException("create " + config.outputDir() + ": " + e.getMessage(), e);
        }
        int pulled = 0;
        if (remote != null) {
            out.println("Pulling responses from remote...");
            List<String> names;
            try {
                names = remote.list(config.remoteDir()).stream()
                        .filter(n -> match.matches(Path.of(n)))
                        .toList();
            } catch (RuntimeException e) {
                throw new MlException("list remote files: " + e.getMessage(), e);
            }
            out.println("  Found " + names.size() + " JSONL files on the host");
            for (String name : names) {
                if (!safeName(name)) {
                    out.println("  warning: skipped a remote file with an unsafe name: " + printable(name));
                    continue;
                }
                Path local = config.outputDir().resolve(name);
                try {
                    remote.copyFrom(config.remoteDir().replaceAll("/+$", "") + "/" + name, local);
                    pulled++;
                    out.println("  " + name + ": " + lines(local) + " records");
                } catch (RuntimeException e) {
                    out.println("  warning: failed to pull " + name + ": " + e.getMessage());
                }
            }
        }
        return merge(config, match, pulled, out);
    }

    private static Result merge(Config config, PathMatcher match, int pulled, PrintWriter out) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(config.outputDir())) {
            for (Path p : dir) if (Files.isRegularFile(p) && match.matches(p.getFileName())) files.add(p);
        } catch (IOException e) {
            throw new MlIOException("list " + config.outputDir() + ": " + e.getMessage(), e);
        }
        files.sort(null); // go-ml's filepath.Glob order
        // idx -> where its first line is: file index, offset, length
        TreeMap<Long, long[]> first = new TreeMap<>();
        long[] skipped = {0};
        List<String> problems = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            int fileIndex = f;
            Jsonl.scan(file, MAX_LINE_BYTES, (lineNo, start, next, bytes, length, terminated) -> {
                if (bytes == null)
                    throw new MlIOException(
                            file + ":" + lineNo + ": line over " + MAX_LINE_BYTES + " bytes", (IOException) null);
                Long idx = idx(bytes, length);
                if (idx == null) {
                    skipped[0]++;
                    long raw = next - start - (terminated ? 1 : 0); // a lone CR is a line go-ml names
                    if (raw > 0 && problems.size() < SHOWN_PROBLEMS)
                        problems.add(file.getFileName() + ":" + lineNo + ": no integer idx");
                    return;
                }
                first.putIfAbsent(idx, new long[] {fileIndex, start, length});
            });
        }
        for (String p : problems) out.println("  warning: " + p);
        if (skipped[0] > 0) out.println("  Skipped " + skipped[0] + " records without idx");
        Path merged = config.mergedPath();
        AtomicFiles.write(merged, o -> {
            RandomAccessFile[] open = new RandomAccessFile[files.size()];
            try {
                byte[] buf = new byte[64 * 1024];
                for (Map.Entry<Long, long[]> e : first.entrySet()) {
                    int f = (int) e.getValue()[0];
                    if (open[f] == null)
                        open[f] = new RandomAccessFile(files.get(f).toFile(), "r");
                    RandomAccessFile raf = open[f];
                    raf.seek(e.getValue()[1]);
                    long left = e.getValue()[2];
                    while (left > 0) {
                        int n = raf.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) throw new IOException(files.get(f) + " changed while merging");
                        o.write(buf, 0, n);
                        left -= n;
                    }
                    o.write('\n');
                }
            } finally {
                for (RandomAccessFile r : open) if (r != null) r.close();
            }
        });
        out.println();
        out.println("Merged: " + first.size() + " unique examples -> " + merged);
        out.flush();
        return new Result(pulled, first.size(), skipped[0], merged);
    }

    /** The line's integer {@code idx}, or null (not JSON, not an object, no integer idx). */
    static Long idx(byte[] line) {
        return idx(line, line.length);
    }

    /** {@link #idx(byte[])} of the first {@code length} bytes. */
    static Long idx(byte[] line, int length) {
        if (length == 0) return null;
        try {
            JsonNode n = Json.goTree(line, 0, length);
            if (n == null || !n.isObject()) return null;
            JsonNode idx = n.get("idx");
            if (idx == null || !idx.isIntegralNumber() || !idx.canConvertToLong()) return null;
            return idx.longValue();
        } catch (IOException notJson) {
            return null;
        }
    }

    private static long lines(Path p) {
        long[] n = {0};
        try {
            Jsonl.scan(p, MAX_LINE_BYTES, (number, start, next, bytes, length, terminated) -> {
                if (terminated) n[0]++;
            });
        } catch (MlIOException e) {
            return -1;
        }
        return n[0];
    }

    private static boolean safeName(String name) {
        return !name.isEmpty()
                && !name.equals(".")
                && !name.equals("..")
                && !name.contains("/")
                && !name.contains("\\")
                && name.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
        });
        return b.toString();
    }
}
