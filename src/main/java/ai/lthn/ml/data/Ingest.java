package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.GoFloats;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.store.Point;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * go-ml's {@code ml ingest}: loads content score files, capability score files and MLX LoRA
 * training logs into InfluxDB as the points go-ml wrote (inventory L6–L11), in batches, through
 * a {@link Sink} (the CLI's is the durable {@code BufferedInfluxWriter}, so an outage loses
 * nothing).
 *
 * <p>The files are streamed line by line with go-ml's 1 MiB line limit. Every point of one input
 * line shares one timestamp, taken when the line is read (strictly increasing within this JVM,
 * so two lines never share a time and overwrite each other).
 *
 * <p>One deliberate change from go-ml: {@code content_score.score} is written as an integer,
 * the type go-ml's own checkpoint agent writes (L5), where go-ml's ingest wrote a float (L6), a
 * field-type conflict InfluxDB refuses. The aggregate is rounded half away from zero, as Go's
 * {@code math.Round}. Values line protocol cannot carry are handled rather than sent: a
 * non-finite score is skipped like a non-numeric one, and a tag with an empty value is left out.
 * Float fields carry the value go-ml printed ({@code %.6f}, {@code %.10f}, ...), rounded the
 * same way.
 */
public final class Ingest {
    /** go-ml's batch size. */
    public static final int DEFAULT_BATCH_SIZE = 100;

    /** go-ml's scanner buffer: a line must end within 1 MiB. */
    static final int MAX_LINE_BYTES = 1024 * 1024;

    static final Pattern VAL_LOSS = Pattern.compile("Iter (\\d+): Val loss ([\\d.]+)");
    static final Pattern TRAIN_LOSS = Pattern.compile(
            "Iter (\\d+): Train loss ([\\d.]+), Learning Rate ([\\d.eE+-]+), It/sec ([\\d.]+), Tokens/sec ([\\d.]+)");

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX =
            Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");
    private static final Pattern ASCII_INT = Pattern.compile("[+-]?[0-9]+");
    private static final AtomicLong LAST_STAMP = new AtomicLong();

    private Ingest() {}

    /** Where the points go, one batch at a time. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Takes one batch.
         *
         * @throws MlException when the batch is refused; ingestion stops with it
         * @param batch the points of one batch, in file order
         */
        void write(List<Point> batch);
    }

    /**
     * What to ingest.
     *
     * @param contentFile content scores JSONL, or null
     * @param capabilityFile capability scores JSONL, or null
     * @param trainingLog an MLX LoRA training log, or null
     * @param model the {@code model} tag (required)
     * @param runId the {@code run_id} tag; null or empty for the model (go-ml's default)
     * @param batchSize points per write; 0 or less for go-ml's 100
     */
    public record Config(
            Path contentFile, Path capabilityFile, Path trainingLog, String model, String runId, int batchSize) {
        /**
         * Checks the settings with go-ml's messages.
         *
         * @throws IllegalArgumentException when no file is given or the model is empty
         * @param contentFile content scores JSONL, or null
         * @param capabilityFile capability scores JSONL, or null
         * @param trainingLog an MLX LoRA training log, or null
         * @param model the {@code model} tag (required)
         * @param runId the {@code run_id} tag; null or empty for the model (go-ml's default)
         * @param batchSize points per write; 0 or less for go-ml's 100
         */
        public Config {
            if (contentFile == null && capabilityFile == null && trainingLog == null)
                throw new IllegalArgumentException(
                        "at least one of --content, --capability, or --training-log is required");
            if (model == null || model.isEmpty()) throw new IllegalArgumentException("--model is required");
            if (runId == null || runId.isEmpty()) runId = model;
            if (batchSize <= 0) batchSize = DEFAULT_BATCH_SIZE;
        }
    }

    /**
     * Ingests the configured files in go-ml's order (content, capability, training log) and
     * prints go-ml's counts to {@code out}.
     *
     * @return the number of points written
     * @throws MlException for the first failure, prefixed as go-ml's ({@code ingest content
     *     scores: line 3: parse json: ...})
     *
     * @param config the files, tags and batch size
     * @param sink where each batch of points goes (the durable writer in the CLI)
     * @param out where go-ml's progress lines are printed
     */
    public static long run(Config config, Sink sink, PrintWriter out) {
        return run(config, sink, out, Ingest::now);
    }

    static long run(Config config, Sink sink, PrintWriter out, LongSupplier clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(out, "out");
        long total = 0;
        if (config.contentFile() != null)
            total += file("content scores", config.contentFile(), config, sink, out, clock, Ingest::contentPoints);
        if (config.capabilityFile() != null)
            total += file(
                    "capability scores", config.capabilityFile(), config, sink, out, clock, Ingest::capabilityPoints);
        if (config.trainingLog() != null)
            total += file("training log", config.trainingLog(), config, sink, out, clock, Ingest::trainingPoints);
        out.printf("Ingested %d total points into InfluxDB%n", total);
        return total;
    }

    /** Turns one line into points. */
    @FunctionalInterface
    private interface LineParser {
        void parse(String line, Config config, long ts, List<Point> into);
    }

    private static long file(
            String what, Path path, Config config, Sink sink, PrintWriter out, LongSupplier clock, LineParser parser) {
        String context = what.equals("training log") ? "ingest training log" : "ingest " + what;
        List<Point> batch = new ArrayList<>();
        long points = 0;
        long lineNo = 0;
        try (InputStream in = open(path, context)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
            while (true) {
                buf.reset();
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    if (buf.size() + 1 >= MAX_LINE_BYTES)
                        throw new MlException(context + ": scan " + path + ": line " + (lineNo + 1)
                                + " is 1 MiB or longer (bufio.Scanner: token too long)");
                    buf.write(b);
                }
                if (b == -1 && buf.size() == 0) break; // the end, after a final newline or none at all
                lineNo++;
                byte[] bytes = buf.toByteArray();
                int length = bytes.length;
                if (length > 0 && bytes[length - 1] == '\r') length--; // as Go's line scanner drops it
                String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
                int before = batch.size();
                try {
                    parser.parse(line, config, clock.getAsLong(), batch);
                } catch (IllegalArgumentException e) {
                    throw new MlException(context + ": line " + lineNo + ": " + e.getMessage(), e);
                }
                points += batch.size() - before;
                if (batch.size() >= config.batchSize()) {
                    send(sink, batch, context + ": write batch: ");
                    batch.clear();
                }
                if (b == -1) break;
            }
        } catch (IOException e) {
            throw new MlIOException(context + ": scan " + path + ": " + e.getMessage(), e);
        }
        if (!batch.isEmpty()) send(sink, batch, context + ": write final batch: ");
        out.printf("  %s: %d points from %d lines%n", what, points, lineNo);
        return points;
    }

    private static InputStream open(Path path, String context) {
        try {
            return new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
        } catch (IOException e) {
            throw new MlIOException(context + ": open " + path + ": " + e.getMessage(), e);
        }
    }

    private static void send(Sink sink, List<Point> batch, String prefix) {
        try {
            sink.write(List.copyOf(batch));
        } catch (MlException e) {
            throw new MlException(prefix + e.getMessage(), e);
        }
    }

    // ---- content scores (L6, L7) -------------------------------------------------------------

    static void contentPoints(String line, Config config, long ts, List<Point> into) {
        String raw = line.strip();
        if (raw.isEmpty()) return;
        JsonNode entry = parse(raw);
        String label = string(field(entry, "label"), "label");
        long iteration = extractIteration(label);
        String hasKernel = hasKernel(label) ? "true" : "false";
        for (Map.Entry<String, JsonNode> agg : objectEntries(field(entry, "aggregates"), "aggregates")) {
            Double score = toFloat(agg.getValue());
            if (score == null || Math.abs(score) >= 0x1p63) continue; // no integer to write
            into.add(Point.builder("content_score")
                    .tag("model", config.model())
                    .tag("run_id", config.runId())
                    .tag("label", label)
                    .tag("dimension", agg.getKey())
                    .tag("has_kernel", hasKernel)
                    .field("score", roundHalfAwayFromZero(score))
                    .field("iteration", iteration)
                    .timestampNanos(ts)
                    .build());
        }
        for (Map.Entry<String, JsonNode> probe : objectEntries(field(entry, "probes"), "probes")) {
            JsonNode block = probe.getValue();
            if (!block.isNull() && !block.isObject()) throw typeError("probes." + probe.getKey(), "an object", block);
            for (Map.Entry<String, JsonNode> dim : objectEntries(field(block, "scores"), "scores")) {
                Double score = toFloat(dim.getValue());
                if (score == null) continue;
                into.add(Point.builder("probe_score")
                        .tag("model", config.model())
                        .tag("run_id", config.runId())
                        .tag("label", label)
                        .tag("probe_id", probe.getKey())
                        .tag("dimension", dim.getKey())
                        .tag("has_kernel", hasKernel)
                        .field("score", fixed(score, 6))
                        .field("iteration", iteration)
                        .timestampNanos(ts)
                        .build());
            }
        }
    }

    // ---- capability scores (L8, L9) ----------------------------------------------------------

    static void capabilityPoints(String line, Config config, long ts, List<Point> into) {
        String raw = line.strip();
        if (raw.isEmpty()) return;
        JsonNode entry = parse(raw);
        String label = string(field(entry, "label"), "label");
        long iteration = extractIteration(label);
        JsonNode acc = field(entry, "accuracy");
        if (!acc.isNull() && !acc.isNumber()) throw typeError("accuracy", "a number", acc);
        into.add(capability(
                config,
                label,
                "overall",
                fixed(acc.asDouble(), 6),
                integer(field(entry, "correct"), "correct"),
                integer(field(entry, "total"), "total"),
                iteration,
                ts));
        for (Map.Entry<String, JsonNode> cat : objectEntries(field(entry, "by_category"), "by_category")) {
            JsonNode block = cat.getValue();
            if (!block.isNull() && !block.isObject())
                throw typeError("by_category." + cat.getKey(), "an object", block);
            long correct = integer(field(block, "correct"), "correct");
            long total = integer(field(block, "total"), "total");
            double accuracy = total > 0 ? (double) correct / (double) total : 0;
            into.add(capability(config, label, cat.getKey(), fixed(accuracy, 6), correct, total, iteration, ts));
        }
    }

    private static Point capability(
            Config config,
            String label,
            String category,
            double accuracy,
            long correct,
            long total,
            long iteration,
            long ts) {
        return Point.builder("capability_score")
                .tag("model", config.model())
                .tag("run_id", config.runId())
                .tag("label", label)
                .tag("category", category)
                .field("accuracy", accuracy)
                .field("correct", correct)
                .field("total", total)
                .field("iteration", iteration)
                .timestampNanos(ts)
                .build();
    }

    // ---- training log (L10, L11) -------------------------------------------------------------

    static void trainingPoints(String line, Config config, long ts, List<Point> into) {
        Matcher val = VAL_LOSS.matcher(line);
        if (val.find()) {
            into.add(lossPoint(config, "val", val).timestampNanos(ts).build());
        }
        Matcher train = TRAIN_LOSS.matcher(line);
        if (train.find()) {
            into.add(lossPoint(config, "train", train)
                    .field("learning_rate", fixed(parseFloatOrZero(train.group(3)), 10))
                    .field("it_per_sec", fixed(parseFloatOrZero(train.group(4)), 4))
                    .field("tokens_per_sec", fixed(parseFloatOrZero(train.group(5)), 2))
                    .timestampNanos(ts)
                    .build());
        }
    }

    /** A {@code training_loss} point's tags, loss (group 2) and iteration (group 1). */
    private static Point.Builder lossPoint(Config config, String type, Matcher m) {
        return Point.builder("training_loss")
                .tag("model", config.model())
                .tag("run_id", config.runId())
                .tag("loss_type", type)
                .field("loss", fixed(parseFloatOrZero(m.group(2)), 6))
                .field("iteration", parseIntOrZero(m.group(1)));
    }

    // ---- go-ml's rules -----------------------------------------------------------------------

    /**
     * go-ml's {@code extractIteration}: the integer after the last {@code @}, or 0 when there is
     * none, nothing follows it or it is not an integer ({@code "@0001000"} → 1000, {@code
     * "x@12b"} → 0).
     *
     * @param label the run label, e.g. {@code G1 @0001000}
     * @return the iteration, or 0
     */
    public static long extractIteration(String label) {
        int at = label.lastIndexOf('@');
        if (at < 0 || at + 1 >= label.length()) return 0;
        return parseIntOrZero(label.substring(at + 1));
    }

    /**
     * go-ml's {@code has_kernel}: the lowercased label contains {@code kernel}, or the label contains {@code LEK}.
     *
     * @param label the run label, e.g. {@code G1 @0001000}
     * @return whether the label marks a kernel run
     */
    public static boolean hasKernel(String label) {
        return label.toLowerCase(Locale.ROOT).contains("kernel") || label.contains("LEK");
    }

    /**
     * The integer an aggregate content score is written as: rounded half away from zero (Go's
     * {@code math.Round}), so 7.5 → 8, 7.49 → 7, -2.5 → -3.
     *
     * @param value the aggregate score
     * @return the rounded integer
     */
    public static long roundHalfAwayFromZero(double value) {
        return new BigDecimal(value).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /**
     * go-ml's {@code toFloat64} on a decoded JSON value: a number, or a string Go's {@code
     * ParseFloat} reads; null for anything else (bool, null, object, array) and for a value that
     * is not finite.
     */
    static Double toFloat(JsonNode v) {
        double d;
        if (v.isNumber()) d = v.doubleValue();
        else if (v.isTextual()) {
            String s = v.textValue();
            if (DECIMAL.matcher(s).matches() || HEX.matcher(s).matches()) d = Double.parseDouble(s);
            else return null;
        } else return null;
        return Double.isFinite(d) ? d : null;
    }

    /** The value go-ml's {@code %.<n>f} printed: rounded half to even on the exact binary value, as Go's strconv. */
    static double fixed(double value, int decimals) {
        if (!Double.isFinite(value)) return 0;
        return GoFloats.fixedValue(value, decimals);
    }

    /** Go's {@code strconv.Atoi} into 64 bits, 0 when it fails. */
    static long parseIntOrZero(String s) {
        if (!ASCII_INT.matcher(s).matches()) return 0; // Long.parseLong would take other scripts' digits
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Go's {@code strconv.ParseFloat} on a regex group, 0 when it fails or is not finite. */
    static double parseFloatOrZero(String s) {
        if (!DECIMAL.matcher(s).matches()) return 0;
        double d = Double.parseDouble(s);
        return Double.isFinite(d) ? d : 0;
    }

    // ---- JSON, decoded as Go's encoding/json into go-ml's structs -----------------------------

    private static JsonNode parse(String raw) {
        JsonNode node;
        try {
            node = Json.reader().readTree(raw);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            int nl = m.indexOf('\n');
            throw new IllegalArgumentException("parse json: " + (nl < 0 ? m : m.substring(0, nl)), e);
        }
        if (node == null || node.isMissingNode()) throw new IllegalArgumentException("parse json: no JSON value");
        if (!node.isNull() && !node.isObject())
            throw new IllegalArgumentException("parse json: cannot unmarshal " + kind(node) + " into an object");
        return node;
    }

    /** A struct field as Go matches it: the key equal ignoring case, the last such key winning. */
    private static JsonNode field(JsonNode object, String name) {
        JsonNode found = com.fasterxml.jackson.databind.node.NullNode.getInstance();
        if (object == null || !object.isObject()) return found;
        var it = object.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) found = e.getValue();
        }
        return found;
    }

    private static Iterable<Map.Entry<String, JsonNode>> objectEntries(JsonNode node, String name) {
        if (node.isNull()) return List.of();
        if (!node.isObject()) throw typeError(name, "an object", node);
        return node::fields;
    }

    private static String string(JsonNode node, String name) {
        if (node.isNull()) return "";
        if (!node.isTextual()) throw typeError(name, "a string", node);
        return node.textValue();
    }

    private static long integer(JsonNode node, String name) {
        if (node.isNull()) return 0;
        if (!node.isIntegralNumber() || !node.canConvertToLong()) throw typeError(name, "an integer", node);
        return node.longValue();
    }

    private static IllegalArgumentException typeError(String name, String expected, JsonNode got) {
        return new IllegalArgumentException(
                "parse json: cannot unmarshal " + kind(got) + " into field " + name + " (" + expected + ")");
    }

    private static String kind(JsonNode n) {
        if (n.isNumber()) return "number";
        if (n.isTextual()) return "string";
        if (n.isBoolean()) return "bool";
        if (n.isArray()) return "array";
        if (n.isObject()) return "object";
        return "null";
    }

    private static long now() {
        Instant t = Instant.now();
        long nanos = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        return LAST_STAMP.updateAndGet(last -> Math.max(nanos, last + 1));
    }
}
