package ai.lthn.ml.data;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.transport.RemoteTransport;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Imports the LEM data files into DuckDB (go-ml's {@code ImportAll}): the golden set, the training
 * sets, benchmark results and questions, and the seed files, optionally pulled first from a host
 * over {@link RemoteTransport} (go-ml ran {@code scp} against a fixed ssh alias).
 *
 * <p>Beyond go-ml: every JSONL file is streamed (1 MiB line cap, as go-ml's scanner); a malformed line is reported as {@code file:line} and counted, where
 * go-ml skipped it silently (and stopped reading a file at an over-long line); rows go in through
 * DuckDB's appender (go-ml ran an INSERT per row); each table is
 * built aside and swapped in only when complete, and a table none of whose source files exists is
 * kept as it was, where go-ml dropped it first, so a failed pull emptied it.
 */
public final class ImportAll {
    /** go-ml's training sets: name to files relative to the data root. */
    static final Map<String, List<String>> TRAINING_SETS = trainingSets();

    static final List<String> BENCHMARKS = List.of("truthfulqa", "gsm8k", "do_not_answer", "toxigen");
    static final List<String> RESULT_DIRS = List.of("results", "scale_results", "cross_arch_results", "deepseek-r1-7b");
    static final List<String> STANDALONE =
            List.of("lem_bench", "lem_ethics", "lem_ethics_allen", "instruction_tuned", "abliterated", "base_pt");
    static final int SHOWN_PROBLEMS = 20;

    private static Map<String, List<String>> trainingSets() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("training", tvt("training"));
        m.put("training-2k", tvt("training-2k"));
        m.put("training-expanded", tv("training-expanded"));
        m.put("training-book", tvt("training-book"));
        m.put("training-conv", tvt("training-conv"));
        m.put("gold-full", tv("gold-full"));
        m.put("sovereignty-gold", tv("sovereignty-gold"));
        m.put("composure-lessons", tv("composure-lessons"));
        m.put("watts-full", tv("watts-full"));
        m.put("watts-expanded", tv("watts-expanded"));
        m.put("watts-composure", tv("watts-composure-merged"));
        m.put("western-fresh", tv("western-fresh"));
        m.put("deepseek-soak", tv("deepseek-western-soak"));
        m.put("russian-bridge", tv("russian-bridge"));
        return java.util.Collections.unmodifiableMap(m);
    }

    private static List<String> tv(String d) {
        return List.of(d + "/train.jsonl", d + "/valid.jsonl");
    }

    private static List<String> tvt(String d) {
        return List.of(d + "/train.jsonl", d + "/valid.jsonl", d + "/test.jsonl");
    }

    /**
     * What to import.
     *
     * @param dataDir the local data root (go-ml's {@code --data-dir}, default the database's directory)
     * @param remoteDir the data root on the remote host (go-ml's {@code /Volumes/Data/lem}); used
     *     only with a transport
     */
    public record Config(Path dataDir, String remoteDir) {
        /**
         * Checks the values.
         *
         * @param dataDir the local data root (go-ml's {@code --data-dir}, default the database's directory)
         * @param remoteDir the data root on the remote host (go-ml's {@code /Volumes/Data/lem}); used only with a transport
         */
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            if (remoteDir != null && remoteDir.endsWith("/") && remoteDir.length() > 1)
                remoteDir = remoteDir.substring(0, remoteDir.length() - 1);
        }
    }

    /**
     * The outcome.
     *
     * @param totals rows imported per table, in import order (tables kept as they were are absent)
     * @param malformed lines or files that could not be imported
     */
    public record Result(Map<String, Long> totals, long malformed) {}

    private final LemDb db;
    private final Config config;
    private final RemoteTransport remote;
    private final PrintWriter out;
    private final Map<String, Long> totals = new LinkedHashMap<>();
    private long malformed;
    private final List<String> problems = new ArrayList<>();
    private long problemsNotShown;

    private ImportAll(LemDb db, Config config, RemoteTransport remote, PrintWriter out) {
        this.db = db;
        this.config = config;
        this.remote = remote;
        this.out = out;
    }

    /**
     * Imports.
     *
     * @param db the database, opened read-write
     * @param config what to import
     * @param remote where to pull from first, or null to import the local files only ({@code --skip-m3})
     * @param out go-ml's progress and summary lines
     * @return the counts
     */
    public static Result run(LemDb db, Config config, RemoteTransport remote, PrintWriter out) {
        if (db.readOnly()) throw new IllegalArgumentException("import-all needs a read-write database");
        if (remote != null && (config.remoteDir() == null || config.remoteDir().isEmpty()))
            throw new IllegalArgumentException("a remote directory is needed to pull from a host");
        return new ImportAll(db, config, remote, out).run();
    }

    private Result run() {
        Path data = config.dataDir();
        golden(data.resolve("gold-15k.jsonl"));
        training(data.resolve("training"));
        Path bench = data.resolve("benchmarks");
        benchmarkResults(bench);
        benchmarkQuestions(bench);
        seeds(data.resolve("seeds"));

        String eq = "=".repeat(50);
        out.println();
        out.println(eq);
        out.println("LEM Database Import Complete");
        out.println(eq);
        long grand = 0;
        for (Map.Entry<String, Long> e : totals.entrySet()) {
            out.printf("  %-25s %8d%n", e.getKey(), e.getValue());
            grand += e.getValue();
        }
        out.println("  " + "-".repeat(35));
        out.printf("  %-25s %8d%n", "TOTAL", grand);
        if (malformed > 0) out.printf("  %-25s %8d%n", "malformed (skipped)", malformed);
        out.println();
        out.println("Database: " + db.path());
        out.flush();
        return new Result(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(totals)), malformed);
    }

    // --- pulling ---------------------------------------------------------------------------

    /** Copies one remote file; a missing one is quiet unless {@code loud} (go-ml's golden-set warning). */
    private void pull(String rel, Path local, boolean loud, String what) {
        String src = config.remoteDir() + "/" + rel;
        try {
            remote.copyFrom(src, local);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (loud || !msg.toLowerCase(java.util.Locale.ROOT).contains("no such file"))
                out.println("  WARNING: could not pull " + what + " from remote: " + msg);
        }
    }

    private void pullDir(String rel, Path localDir) {
        List<String> names;
        try {
            names = remote.list(config.remoteDir() + "/" + rel);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.toLowerCase(java.util.Locale.ROOT).contains("no such file"))
                out.println("  WARNING: could not list " + rel + " on remote: " + msg);
            return;
        }
        for (String n : names) {
            if (!n.endsWith(".jsonl") || n.contains("/") || n.startsWith(".")) continue;
            pull(rel + "/" + n, localDir.resolve(n), true, rel + "/" + n);
        }
    }

    // --- tables ----------------------------------------------------------------------------

    private void golden(Path file) {
        if (remote != null) {
            out.println("  Pulling golden set from M3...");
            pull("responses/gold-15k.jsonl", file, true, "golden set");
        }
        if (!Files.isRegularFile(file)) return;
        String stage = "golden_set__import";
        Connection c = db.connection();
        db.exec("DROP TABLE IF EXISTS " + stage);
        db.exec("CREATE TABLE " + stage + " (" + LemDb.SCHEMA.get("golden_set") + ")");
        // go-ml's CTAS: the casts, char_count = length(response) (characters), word_count = spaces + 1
        try (BulkInsert ins = BulkInsert.into(c, stage, 9)) {
            Jsonl.forEachLine(file, (n, bytes, len) -> {
                JsonNode rec = object(file, n, bytes, len);
                if (rec == null) return;
                Long idx = integer(rec.get("idx"));
                if (rec.hasNonNull("idx") && idx == null) {
                    problem(file, n, "idx is not an integer");
                    return;
                }
                JsonNode gt = rec.get("gen_time");
                if (gt != null && !gt.isNull() && !gt.isNumber()) {
                    problem(file, n, "gen_time is not a number");
                    return;
                }
                String response = text(rec.get("response"));
                Integer chars = response == null ? null : response.codePointCount(0, response.length());
                ins.add(
                        idx == null ? null : (Integer) idx.intValue(),
                        text(rec.get("seed_id")),
                        text(rec.get("domain")),
                        text(rec.get("voice")),
                        text(rec.get("prompt")),
                        response,
                        gt == null || gt.isNull() ? null : gt.asDouble(),
                        chars,
                        response == null ? null : (Long) (spaces(response) + 1L));
            });
        } catch (RuntimeException e) {
            db.exec("DROP TABLE IF EXISTS " + stage);
            out.println("  WARNING: golden set import failed: " + e.getMessage());
            return;
        }
        finish(stage, "golden_set");
    }

    private void training(Path local) {
        if (remote != null) {
            out.println("  Pulling training sets from M3...");
            for (List<String> files : TRAINING_SETS.values())
                for (String rel : files) pull(rel, local.resolve(rel), false, rel);
        }
        List<String[]> present = new ArrayList<>();
        for (Map.Entry<String, List<String>> set : TRAINING_SETS.entrySet())
            for (String rel : set.getValue())
                if (Files.isRegularFile(local.resolve(rel))) present.add(new String[] {set.getKey(), rel});
        String table = "training_examples";
        if (keepIfNoSources(table, present.isEmpty())) return;
        String stage = table + "__import";
        restage(stage, table);
        ObjectReader reader = Json.goReader(TrainingRecord.class);
        try (BulkInsert ins = BulkInsert.into(db.connection(), stage, 7)) {
            for (String[] p : present) {
                String rel = p[1];
                String split = rel.contains("valid") ? "valid" : rel.contains("test") ? "test" : "train";
                Path file = local.resolve(rel);
                Jsonl.forEachLine(file, (n, bytes, len) -> {
                    if (blank(bytes, len)) return;
                    if (bytes == null) {
                        problem(file, n, "line over " + Jsonl.MAX_LINE_BYTES + " bytes");
                        return;
                    }
                    TrainingRecord rec;
                    try {
                        rec = reader.readValue(ai.lthn.ml.internal.GoUtf8.decode(bytes, 0, len));
                    } catch (IOException e) {
                        problem(file, n, "not a {\"messages\": [...]} object: " + firstLine(e));
                        return;
                    }
                    String prompt = "";
                    String response = "";
                    int assistants = 0;
                    List<Turn> msgs = rec == null || rec.messages() == null ? List.of() : rec.messages();
                    for (Turn m : msgs) {
                        if ("user".equals(m.role()) && prompt.isEmpty()) prompt = nz(m.content());
                        if ("assistant".equals(m.role())) {
                            if (response.isEmpty()) response = nz(m.content());
                            assistants++;
                        }
                    }
                    String full;
                    try {
                        full = Json.goCompactWriter()
                                .writeValueAsString(rec == null || rec.messages() == null ? null : normal(msgs));
                    } catch (JsonProcessingException e) {
                        throw new MlIOException("encode messages: " + e.getMessage(), e);
                    }
                    ins.add(
                            p[0],
                            split,
                            prompt,
                            response,
                            assistants,
                            full,
                            response.getBytes(StandardCharsets.UTF_8).length);
                });
            }
        }
        finish(stage, table);
    }

    private void benchmarkResults(Path bench) {
        if (remote != null) {
            out.println("  Pulling benchmarks from M3...");
            for (String b : BENCHMARKS) pull("benchmarks/" + b + ".jsonl", bench.resolve(b + ".jsonl"), false, b);
            for (String sub : RESULT_DIRS) pullDir("benchmarks/" + sub, bench.resolve(sub));
            for (String f : STANDALONE) {
                Path local = bench.resolve(f + ".jsonl");
                if (!Files.exists(local)) pull("benchmark/" + f + ".jsonl", local, false, f);
            }
        }
        List<Object[]> files = new ArrayList<>(); // {path, source}
        for (String sub : RESULT_DIRS) {
            Path dir = bench.resolve(sub);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(p))
                        .sorted()
                        .forEach(p -> files.add(new Object[] {p, sub}));
            } catch (IOException e) {
                throw new MlIOException("list " + dir + ": " + e.getMessage(), e);
            }
        }
        for (String f : STANDALONE) {
            Path local = bench.resolve(f + ".jsonl");
            if (Files.isRegularFile(local)) files.add(new Object[] {local, "benchmark"});
        }
        String table = "benchmark_results";
        if (keepIfNoSources(table, files.isEmpty())) return;
        String stage = table + "__import";
        restage(stage, table);
        try (BulkInsert ins = BulkInsert.into(db.connection(), stage, 8)) {
            for (Object[] f : files) {
                Path file = (Path) f[0];
                String source = (String) f[1];
                Jsonl.forEachLine(file, (n, bytes, len) -> {
                    JsonNode rec = object(file, n, bytes, len);
                    if (rec == null) return;
                    JsonNode el = rec.get("elapsed_seconds");
                    ins.add(
                            source,
                            goV(rec.get("id")),
                            strOrEmpty(rec, "benchmark"),
                            strOrEmpty(rec, "model"),
                            strOrEmpty(rec, "prompt"),
                            strOrEmpty(rec, "response"),
                            el != null && el.isNumber() ? el.asDouble() : 0.0,
                            strOrEmpty(rec, "domain"));
                });
            }
        }
        finish(stage, table);
    }

    private void benchmarkQuestions(Path bench) {
        List<String> present = new ArrayList<>();
        for (String b : BENCHMARKS) if (Files.isRegularFile(bench.resolve(b + ".jsonl"))) present.add(b);
        String table = "benchmark_questions";
        if (keepIfNoSources(table, present.isEmpty())) return;
        String stage = table + "__import";
        restage(stage, table);
        try (BulkInsert ins = BulkInsert.into(db.connection(), stage, 7)) {
            for (String b : present) {
                Path file = bench.resolve(b + ".jsonl");
                Jsonl.forEachLine(file, (n, bytes, len) -> {
                    JsonNode rec = object(file, n, bytes, len);
                    if (rec == null) return;
                    ins.add(
                            b,
                            goV(rec.get("id")),
                            strOrEmpty(rec, "question"),
                            strOrEmpty(rec, "best_answer"),
                            goJson(rec.get("correct_answers")),
                            goJson(rec.get("incorrect_answers")),
                            strOrEmpty(rec, "category"));
                });
            }
        }
        finish(stage, table);
    }

    private void seeds(Path seedDir) {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(seedDir)) {
            try (Stream<Path> s = Files.walk(seedDir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new MlIOException("walk " + seedDir + ": " + e.getMessage(), e);
            }
        }
        files.sort((a, b) ->
                seedDir.relativize(a).toString().compareTo(seedDir.relativize(b).toString()));
        String table = "seeds";
        if (keepIfNoSources(table, files.isEmpty())) return;
        String stage = table + "__import";
        restage(stage, table);
        try (BulkInsert ins = BulkInsert.into(db.connection(), stage, 5)) {
            for (Path file : files) {
                String rel = seedDir.relativize(file).toString();
                String name = file.getFileName().toString();
                String region = name.substring(0, name.length() - ".json".length());
                JsonNode root;
                try {
                    byte[] all = Files.readAllBytes(file);
                    root = Json.goTree(all, 0, all.length);
                } catch (IOException e) {
                    problem(file, 0, "not JSON: " + firstLine(e));
                    continue;
                }
                JsonNode list = null;
                if (root != null && root.isArray()) list = root;
                else if (root != null && root.isObject()) {
                    if (root.path("prompts").isArray()) list = root.get("prompts");
                    else if (root.path("seeds").isArray()) list = root.get("seeds");
                }
                if (list == null) continue;
                for (JsonNode seed : list) {
                    if (seed.isObject()) {
                        String prompt = strOrEmpty(seed, "prompt");
                        if (prompt.isEmpty()) prompt = strOrEmpty(seed, "text");
                        if (prompt.isEmpty()) prompt = strOrEmpty(seed, "question");
                        ins.add(rel, region, strOrEmpty(seed, "seed_id"), strOrEmpty(seed, "domain"), prompt);
                    } else if (seed.isTextual()) {
                        ins.add(rel, region, "", "", seed.asText());
                    }
                }
            }
        }
        finish(stage, table);
    }

    /** Swaps the complete stage in and prints go-ml's count line (plus the problems found). */
    private void finish(String stage, String table) {
        swap(stage, table);
        long n = db.scalarLong("SELECT count(*) FROM " + table);
        totals.put(table, n);
        out.println("  " + table + ": " + n + " rows" + flushProblems());
    }

    /** go-ml dropped the table before looking for sources; this keeps it when there are none. */
    private boolean keepIfNoSources(String table, boolean none) {
        if (!none) return false;
        if (db.hasTable(table)) {
            out.println("  " + table + ": no source files found, existing table kept");
            return true;
        }
        db.ensureTable(table);
        totals.put(table, 0L);
        out.println("  " + table + ": 0 rows");
        return true;
    }

    private void restage(String stage, String table) {
        db.exec("DROP TABLE IF EXISTS " + stage);
        db.exec("CREATE TABLE " + stage + " (" + LemDb.SCHEMA.get(table) + ")");
    }

    /** Replaces {@code table} by the complete {@code stage} in one transaction. */
    private void swap(String stage, String table) {
        Connection c = db.connection();
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + table);
                st.execute("ALTER TABLE " + stage + " RENAME TO " + table);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MlIOException("replace " + table + ": " + e.getMessage(), new IOException(e));
        }
    }

    // --- lines and values ------------------------------------------------------------------

    /** A JSON object parsed from a line, or null (blank, malformed: reported and counted). */
    private JsonNode object(Path file, long n, byte[] bytes, int len) {
        if (bytes == null) {
            problem(file, n, "line over " + Jsonl.MAX_LINE_BYTES + " bytes");
            return null;
        }
        if (blank(bytes, len)) return null;
        JsonNode node;
        try {
            node = Json.goTree(bytes, 0, len);
        } catch (IOException e) {
            problem(file, n, "malformed JSON: " + firstLine(e));
            return null;
        }
        if (node == null || !node.isObject()) {
            problem(file, n, "not a JSON object");
            return null;
        }
        return node;
    }

    private void problem(Path file, long line, String what) {
        malformed++;
        if (problems.size() < SHOWN_PROBLEMS) problems.add(file + (line > 0 ? ":" + line : "") + ": " + what);
        else problemsNotShown++;
    }

    /** Prints the problems gathered for one table; returns the suffix for its count line. */
    private String flushProblems() {
        if (problems.isEmpty()) return "";
        for (String p : problems) out.println("  WARNING: " + p);
        long n = problems.size() + problemsNotShown;
        if (problemsNotShown > 0) out.println("  WARNING: ... and " + problemsNotShown + " more");
        problems.clear();
        problemsNotShown = 0;
        return " (" + n + " malformed skipped)";
    }

    private static long spaces(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == ' ') n++;
        return n;
    }

    private static boolean blank(byte[] bytes, int len) {
        if (bytes == null) return false;
        for (int i = 0; i < len; i++) if (!Character.isWhitespace(bytes[i])) return false;
        return true;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** go-ml's {@code ChatMessage}. */
    record Turn(
            @JsonProperty("role") String role,
            @JsonProperty("content") String content) {}

    /** The training line go-ml decodes. */
    record TrainingRecord(@JsonProperty("messages") List<Turn> messages) {}

    private static List<Turn> normal(List<Turn> msgs) {
        List<Turn> out = new ArrayList<>(msgs.size());
        for (Turn t : msgs) out.add(new Turn(nz(t.role()), nz(t.content())));
        return out;
    }

    /** A JSON value as VARCHAR, as DuckDB's {@code ::VARCHAR} of the value read_json_auto read. */
    private static String text(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.asText();
        return v.toString();
    }

    private static Long integer(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isIntegralNumber() && v.canConvertToInt()) return v.longValue();
        if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < Integer.MAX_VALUE)
            return (long) v.asDouble();
        if (v.isTextual()) {
            try {
                return (long) Integer.parseInt(v.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** go-ml's {@code strOrEmpty}: {@code %v} of a present value, "" when absent. */
    static String strOrEmpty(JsonNode rec, String key) {
        JsonNode v = rec.get(key);
        return v == null ? "" : goV(v);
    }

    /** Go's {@code fmt %v} of a value decoded into {@code interface{}}; absent is {@code <nil>}. */
    static String goV(JsonNode v) {
        if (v == null || v.isNull()) return "<nil>";
        if (v.isTextual()) return v.asText();
        if (v.isBoolean()) return v.asBoolean() ? "true" : "false";
        if (v.isNumber()) return goFloat(v.asDouble());
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) sb.append(i == 0 ? "" : " ").append(goV(v.get(i)));
            return sb.append(']').toString();
        }
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sorted.put(e.getKey(), e.getValue());
        }
        StringBuilder sb = new StringBuilder("map[");
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
            sb.append(first ? "" : " ").append(e.getKey()).append(':').append(goV(e.getValue()));
            first = false;
        }
        return sb.append(']').toString();
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}, which {@code %v} uses for a float64. */
    static String goFloat(double f) {
        if (Double.isNaN(f)) return "NaN";
        if (Double.isInfinite(f)) return f > 0 ? "+Inf" : "-Inf";
        if (f == 0) return (1 / f < 0) ? "-0" : "0";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - d.scale(); // decimal point position
        int exp = dp - 1;
        String sign = f < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            String mant = digits.substring(0, 1) + (nd > 1 ? "." + digits.substring(1) : "");
            int a = Math.abs(exp);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (a < 10 ? "0" : "") + a;
        }
        return sign + d.toPlainString();
    }

    /** Go's {@code json.Marshal} of a decoded value: {@code null} when absent, keys sorted. */
    static String goJson(JsonNode v) {
        if (v == null) return "null";
        try {
            return Json.goCompactWriter().writeValueAsString(sortedValue(v));
        } catch (JsonProcessingException e) {
            throw new MlIOException("encode: " + e.getMessage(), e);
        }
    }

    private static Object sortedValue(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.asText();
        if (v.isBoolean()) return v.asBoolean();
        if (v.isNumber()) return v.asDouble();
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode e : v) l.add(sortedValue(e));
            return l;
        }
        TreeMap<String, Object> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), sortedValue(e.getValue()));
        }
        return m;
    }
}
