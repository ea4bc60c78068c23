package ai.lthn.ml.data;

import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.store.ResultsDb;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * go-ml's {@code ml export} ({@code export.go}, {@code parquet.go}): the golden set from DuckDB,
 * filtered, shuffled with Go's {@code math/rand} ({@link GoRandom}) and split into {@code
 * train/valid/test.jsonl} exactly as go-ml splits it for the same seed, optionally converted to
 * Snappy Parquet.
 *
 * <p>Beyond go-ml: every file is written atomically, and all three targets are checked before the
 * first is written, so a failure leaves the previous export whole; Parquet is written by DuckDB
 * ({@code COPY ... TO}); unparsable JSONL lines are still skipped but each is reported with its
 * file and line; a split with no rows removes a stale Parquet file instead of leaving it behind.
 */
public final class Export {
    /** The splits, in go-ml's order. */
    public static final List<String> SPLITS = List.of("train", "valid", "test");

    private static final int MIN_RESPONSE_BYTES = 50;
    private static final String PARQUET_MEMORY_LIMIT = "2GB";
    // The largest row DuckDB reads back (go-ml's scanner stopped at 1 MiB); its buffer is twice this.
    private static final int MAX_LINE_BYTES = 128 << 20;
    // As Go's json.Unmarshal: text after the value is an error.
    private static final com.fasterxml.jackson.databind.ObjectReader LINE_READER = Json.goReader(
                    TrainingJsonl.Example.class)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Export() {}

    /**
     * One training example: what the split keeps of a golden-set row.
     *
     * @param prompt the user's message
     * @param response the assistant's reply
     */
    public record Example(String prompt, String response) {
        /**
         * Checks the fields.
         *
         * @param prompt the user's message
         * @param response the assistant's reply
         */
        public Example {
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * The three parts of a split.
     *
     * @param train the training part
     * @param valid the validation part
     * @param test the test part (the remainder)
     * @param <T> the element type
     */
    public record Split<T>(List<T> train, List<T> valid, List<T> test) {
        /**
         * Copies the lists.
         *
         * @param train the training part
         * @param valid the validation part
         * @param test the test part (the remainder)
         */
        public Split {
            train = List.copyOf(train);
            valid = List.copyOf(valid);
            test = List.copyOf(test);
        }

        /**
         * The parts.
         *
         * @return train, valid and test, in {@link #SPLITS} order
         */
        public List<List<T>> parts() {
            return List.of(train, valid, test);
        }
    }

    /**
     * The export's settings (go-ml's flags).
     *
     * @param outputDir where the JSONL files go (created)
     * @param minChars the least {@code char_count} read from the golden set
     * @param trainPct training percentage
     * @param validPct validation percentage
     * @param testPct test percentage (the remainder is used; checked only in the sum)
     * @param seed the shuffle seed
     * @param parquet also write {@code <outputDir>/parquet/<split>.parquet}
     */
    public record Options(
            Path outputDir, int minChars, int trainPct, int validPct, int testPct, long seed, boolean parquet) {
        /**
         * Checks the directory is given.
         *
         * @param outputDir where the JSONL files go (created)
         * @param minChars the least {@code char_count} read from the golden set
         * @param trainPct training percentage
         * @param validPct validation percentage
         * @param testPct test percentage (the remainder is used; checked only in the sum)
         * @param seed the shuffle seed
         * @param parquet also write {@code <outputDir>/parquet/<split>.parquet}
         */
        public Options {
            Objects.requireNonNull(outputDir, "outputDir");
        }
    }

    /**
     * The Parquet conversion's outcome.
     *
     * @param rows rows written over all splits
     * @param skipped each skipped line, as {@code file:line: reason}
     */
    public record ParquetResult(long rows, List<String> skipped) {
        /**
         * Copies the list.
         *
         * @param rows rows written over all splits
         * @param skipped each skipped line, as {@code file:line: reason}
         */
        public ParquetResult {
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * What an export did.
     *
     * @param loaded golden-set rows read
     * @param kept rows left after {@link #keep}
     * @param train training examples written
     * @param valid validation examples written
     * @param test test examples written
     * @param parquet the Parquet outcome, or null when not asked for
     */
    public record Result(long loaded, int kept, int train, int valid, int test, ParquetResult parquet) {}

    /**
     * go-ml's {@code ValidatePercentages}.
     *
     * @param trainPct training percentage
     * @param validPct validation percentage
     * @param testPct test percentage
     * @throws IllegalArgumentException with go-ml's message when one is negative or the sum is not 100
     */
    public static void validatePercentages(int trainPct, int validPct, int testPct) {
        if (trainPct < 0 || validPct < 0 || testPct < 0) {
            throw new IllegalArgumentException(String.format(
                    "percentages must be non-negative: train=%d, valid=%d, test=%d", trainPct, validPct, testPct));
        }
        long sum = (long) trainPct + validPct + testPct;
        if (sum != 100) {
            throw new IllegalArgumentException(String.format(
                    "percentages must sum to 100, got %d (train=%d + valid=%d + test=%d)",
                    sum, trainPct, validPct, testPct));
        }
    }

    /**
     * go-ml's filter for one response: not empty, not starting with {@code ERROR:}, at least 50
     * bytes of UTF-8 (bytes, not characters: 25 two-byte characters pass).
     *
     * @param response the response text
     * @return true to keep it
     */
    public static boolean keep(String response) {
        return !response.isEmpty() && !response.startsWith("ERROR:") && utf8Length(response) >= MIN_RESPONSE_BYTES;
    }

    /**
     * go-ml's {@code FilterResponses}.
     *
     * @param examples the responses to write, in order
     * @return those {@link #keep} keeps, in order
     */
    public static List<Example> filterResponses(List<Example> examples) {
        List<Example> kept = new ArrayList<>();
        for (Example e : examples) if (keep(e.response())) kept.add(e);
        return kept;
    }

    /** The UTF-8 length of {@code s} without encoding it (a lone surrogate counts as U+FFFD, 3). */
    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /**
     * go-ml's {@code SplitData}: a copy shuffled with {@code rand.New(rand.NewSource(seed))}, then
     * {@code n*train/100} for training, {@code n*valid/100} for validation (integer division), the
     * remainder for test; {@code testPct} is not used.
     *
     * @param rows the rows (not modified)
     * @param trainPct training percentage
     * @param validPct validation percentage
     * @param testPct test percentage (ignored, as in go-ml)
     * @param seed the shuffle seed
     * @param <T> the row type
     * @return the split
     */
    public static <T> Split<T> splitData(List<T> rows, int trainPct, int validPct, int testPct, long seed) {
        List<T> shuffled = new ArrayList<>(rows);
        new GoRandom(seed).shuffle(shuffled);
        int[] sizes = splitSizes(shuffled.size(), trainPct, validPct);
        int trainN = sizes[0];
        int validN = sizes[1];
        return new Split<>(
                shuffled.subList(0, trainN),
                shuffled.subList(trainN, trainN + validN),
                shuffled.subList(trainN + validN, shuffled.size()));
    }

    /** go-ml's split sizes: {@code n*train/100} and {@code n*valid/100} (integer division), test the rest. */
    static int[] splitSizes(int n, int trainPct, int validPct) {
        int trainN = (int) ((long) n * trainPct / 100);
        int validN = (int) ((long) n * validPct / 100);
        return new int[] {trainN, validN, n - trainN - validN};
    }

    /**
     * go-ml's {@code WriteTrainingJSONL}, atomically: one {@code {"messages":[user, assistant]}}
     * line per example, as Go's {@code json.Marshal} writes it.
     *
     * @param path the file
     * @param examples the responses to write, in order, in order
     * @throws MlIOException naming the file
     */
    public static void writeTrainingJsonl(Path path, List<Example> examples) {
        AtomicFiles.write(path, out -> {
            for (Example e : examples) {
                out.write(TrainingJsonl.line(e.prompt(), e.response()).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        });
    }

    /** The kept rows' keys: DuckDB's {@code rowid}, stable on a read-only database. */
    static final String KEPT_SQL =
            "SELECT rowid AS r, response FROM golden_set WHERE char_count >= ? ORDER BY idx, rowid";

    private static final int FETCH_CHUNK = 50_000; // one table scan per chunk: few chunks, bounded memory

    /**
     * The {@code rowid}s of the golden set's rows with {@code char_count >= minChars} that {@link
     * #keep} keeps, in go-ml's {@code idx} order ({@code rowid} breaks ties, which go-ml left to
     * chance). Only the keys are kept: the texts are read again, split by split, when written, so
     * memory is 8 bytes per row instead of the corpus.
     *
     * @param db the database
     * @param minChars the least {@code char_count}
     * @param loaded receives the number of rows read, before filtering ({@code loaded[0]})
     * @return the kept rows' keys
     * @throws MlException when there is no golden_set table
     */
    static long[] readKeptKeys(ResultsDb db, int minChars, long[] loaded) {
        if (!db.hasTable("golden_set")) {
            throw new MlException("no golden_set table in " + db.path() + " (import-all creates it)");
        }
        long[][] keys = {new long[1024]};
        int[] n = {0};
        db.forEachRow(
                KEPT_SQL,
                row -> {
                    loaded[0]++;
                    if (!keep(text(row.get("response")))) return;
                    if (n[0] == keys[0].length) keys[0] = java.util.Arrays.copyOf(keys[0], n[0] * 2);
                    keys[0][n[0]++] = ((Number) row.get("r")).longValue();
                },
                minChars);
        return java.util.Arrays.copyOf(keys[0], n[0]);
    }

    /** Writes the rows {@code keys[from, to)} in that order, fetched from the database in chunks. */
    private static void writeRows(ResultsDb db, Path path, long[] keys, int from, int to) {
        AtomicFiles.write(path, out -> {
            for (int c = from; c < to; c += FETCH_CHUNK) {
                int end = Math.min(to, c + FETCH_CHUNK);
                StringBuilder in = new StringBuilder();
                for (int i = c; i < end; i++) in.append(i == c ? "" : ",").append(keys[i]);
                java.util.Map<Long, Example> rows = new java.util.HashMap<>();
                db.forEachRow(
                        "SELECT rowid AS r, prompt, response FROM golden_set WHERE rowid IN (" + in + ")",
                        row -> rows.put(
                                ((Number) row.get("r")).longValue(),
                                new Example(text(row.get("prompt")), text(row.get("response")))));
                for (int i = c; i < end; i++) {
                    Example e = rows.get(keys[i]);
                    if (e == null)
                        throw new java.io.IOException("golden_set changed while exporting (row " + keys[i] + ")");
                    out.write(TrainingJsonl.line(e.prompt(), e.response()).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
        });
    }

    /**
     * Runs the export, printing go-ml's lines to {@code out}.
     *
     * @param db the database holding {@code golden_set}, opened read-only by the caller
     * @param o the settings
     * @param out go-ml's progress lines
     * @return what was done
     * @throws IllegalArgumentException for bad percentages (before the database is read)
     * @throws MlException when the golden set cannot be read or a file cannot be written
     */
    public static Result run(ResultsDb db, Options o, PrintWriter out) {
        validatePercentages(o.trainPct(), o.validPct(), o.testPct());
        long[] loaded = {0};
        long[] keys = readKeptKeys(db, o.minChars(), loaded);
        out.printf("Loaded %d golden set rows (min %d chars)%n", loaded[0], o.minChars());
        out.printf("After filtering: %d responses%n", keys.length);
        new GoRandom(o.seed()).shuffle(keys.length, (i, j) -> { // go-ml's SplitData, on the keys
            long t = keys[(int) i];
            keys[(int) i] = keys[(int) j];
            keys[(int) j] = t;
        });
        int[] sizes = splitSizes(keys.length, o.trainPct(), o.validPct());
        out.printf("Split: train=%d, valid=%d, test=%d%n", sizes[0], sizes[1], sizes[2]);
        out.flush();
        try {
            Files.createDirectories(o.outputDir());
        } catch (IOException e) {
            throw new MlIOException("create output dir " + o.outputDir() + ": " + e, e);
        }
        List<Path> targets = new ArrayList<>();
        for (String name : SPLITS) targets.add(o.outputDir().resolve(name + ".jsonl"));
        for (Path t : targets) AtomicFiles.checkWritable(t); // nothing is replaced unless all can be
        int from = 0;
        for (int i = 0; i < SPLITS.size(); i++) {
            writeRows(db, targets.get(i), keys, from, from + sizes[i]);
            from += sizes[i];
            out.printf("  %s.jsonl: %d examples%n", SPLITS.get(i), sizes[i]);
            out.flush();
        }
        ParquetResult parquet = null;
        if (o.parquet()) {
            parquet = exportParquet(o.outputDir(), null);
            out.printf("  Parquet: %d total rows%n", parquet.rows());
            out.flush();
        }
        return new Result(loaded[0], keys.length, sizes[0], sizes[1], sizes[2], parquet);
    }

    /**
     * go-ml's {@code ExportParquet}: each {@code <trainingDir>/<split>.jsonl} that exists becomes
     * {@code <outputDir>/<split>.parquet} with the required string columns {@code prompt}, {@code
     * response}, {@code system} (each the first message of that role, or empty) and {@code messages}
     * (the messages array as Go's {@code json.Marshal} writes it), Snappy-compressed, rows in file
     * order. Blank lines are skipped; unparsable ones are skipped and reported.
     *
     * @param trainingDir the directory holding the JSONL splits
     * @param outputDir where the Parquet files go; null for {@code <trainingDir>/parquet}
     * @return rows written and lines skipped
     * @throws MlException {@code export <split>: ...} on the first failure
     */
    public static ParquetResult exportParquet(Path trainingDir, Path outputDir) {
        Path dir = outputDir == null ? trainingDir.resolve("parquet") : outputDir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MlIOException("create output dir " + dir + ": " + e, e);
        }
        long total = 0;
        List<String> skipped = new ArrayList<>();
        Path spill;
        try {
            spill = Files.createTempDirectory(dir.toAbsolutePath(), ".duckdb-work-");
        } catch (IOException e) {
            throw new MlIOException("create work directory in " + dir + ": " + e, e);
        }
        // Bounded memory: a work database on disk in a private directory next to the output (an
        // in-memory one holds the whole split in RAM and cannot stay under a memory limit).
        try (ResultsDb duck = ResultsDb.openReadWrite(spill.resolve("work.duckdb"))) {
            duck.exec("SET memory_limit = '" + PARQUET_MEMORY_LIMIT + "'");
            duck.exec("SET temp_directory = " + literal(spill));
            for (String split : SPLITS) {
                Path jsonl = trainingDir.resolve(split + ".jsonl");
                if (!Files.exists(jsonl)) continue;
                try {
                    total += exportSplit(duck, jsonl, dir.resolve(split + ".parquet"), skipped);
                } catch (MlException e) {
                    throw new MlException("export " + split + ": " + e.getMessage(), e);
                }
            }
        } finally {
            deleteTree(spill);
        }
        return new ParquetResult(total, skipped);
    }

    private static long exportSplit(ResultsDb duck, Path jsonl, Path target, List<String> skipped) {
        Path rows;
        try {
            rows = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".rows");
        } catch (IOException e) {
            throw new MlIOException("create temporary file for " + target + ": " + e, e);
        }
        try {
            long n = convertRows(jsonl, rows, skipped);
            if (n == 0) { // go-ml wrote no file; a stale one from an earlier export must not survive
                Files.deleteIfExists(target);
                return 0;
            }
            // A table with NOT NULL columns: DuckDB then writes them REQUIRED, as go-ml's schema has them.
            duck.exec("CREATE OR REPLACE TABLE parquet_rows (prompt VARCHAR NOT NULL, response VARCHAR NOT NULL,"
                    + " system VARCHAR NOT NULL, messages VARCHAR NOT NULL)");
            try {
                duck.exec(
                        "INSERT INTO parquet_rows SELECT prompt, response, system, messages FROM read_json("
                                + literal(rows) + ", format = 'newline_delimited', maximum_object_size = "
                                + MAX_LINE_BYTES + ","
                                + " columns = {prompt: 'VARCHAR', response: 'VARCHAR', system: 'VARCHAR', messages: 'VARCHAR'})");
                AtomicFiles.produce(
                        target,
                        tmp -> duck.exec(
                                "COPY parquet_rows TO " + literal(tmp) + " (FORMAT PARQUET, COMPRESSION SNAPPY)"));
            } finally {
                duck.exec("DROP TABLE IF EXISTS parquet_rows");
            }
            return n;
        } catch (IOException e) {
            throw new MlIOException("write " + target + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(rows);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Parses the chat JSONL into one flat JSON object per row; returns the number of rows. */
    private static long convertRows(Path jsonl, Path rows, List<String> skipped) throws IOException {
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8);
                OutputStream os = Files.newOutputStream(rows);
                JsonGenerator g = Json.factory().createGenerator(new java.io.BufferedOutputStream(os, 1 << 16))) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String text = line.strip();
                if (text.isEmpty()) continue;
                TrainingJsonl.Example example;
                try {
                    example = LINE_READER.readValue(text);
                } catch (JsonProcessingException e) {
                    skipped.add(jsonl + ":" + lineNo + ": " + e.getOriginalMessage());
                    continue;
                }
                if (example == null) { // the line "null": Go decodes it into the zero value
                    example = new TrainingJsonl.Example(null);
                }
                List<TrainingJsonl.Turn> turns = null;
                String prompt = "";
                String response = "";
                String system = "";
                if (example.messages() != null) {
                    turns = new ArrayList<>(example.messages().size());
                    for (TrainingJsonl.Turn t : example.messages()) {
                        String role = t == null || t.role() == null ? "" : t.role();
                        String content = t == null || t.content() == null ? "" : t.content();
                        turns.add(new TrainingJsonl.Turn(role, content));
                        switch (role) {
                            case "user" -> prompt = prompt.isEmpty() ? content : prompt;
                            case "assistant" -> response = response.isEmpty() ? content : response;
                            case "system" -> system = system.isEmpty() ? content : system;
                            default -> {}
                        }
                    }
                }
                g.writeStartObject();
                g.writeStringField("prompt", prompt);
                g.writeStringField("response", response);
                g.writeStringField("system", system);
                g.writeStringField("messages", Json.goCompactWriter().writeValueAsString(turns));
                g.writeEndObject();
                g.writeRaw('\n');
                n++;
            }
        }
        return n;
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover spill directory holds no data anyone reads
        }
    }

    private static String literal(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
