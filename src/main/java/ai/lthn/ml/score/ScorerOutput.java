package ai.lthn.ml.score;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A score file, as go-ml writes and reads it: {@code metadata}, {@code model_averages}
 * (model → field → average) and {@code per_prompt} (model → scores in input order). Files
 * written by either implementation read in the other.
 */
public record ScorerOutput(
        @JsonProperty("metadata") Metadata metadata,
        @JsonProperty("model_averages") Map<String, Map<String, Double>> modelAverages,
        @JsonProperty("per_prompt") Map<String, List<PromptScore>> perPrompt) {

    /**
     * Copies the maps, sorted by key as Go writes them; the copies are unmodifiable, inner maps
     * and lists included. Absent parts (a file without them) are empty, as Go's zero values.
     *
     * @param metadata the run metadata
     * @param modelAverages the model averages
     * @param perPrompt the per prompt
     */
    public ScorerOutput {
        metadata = metadata == null ? new Metadata("", "", "", "", null) : metadata;
        TreeMap<String, Map<String, Double>> averages = new TreeMap<>();
        if (modelAverages != null)
            modelAverages.forEach(
                    (model, fields) -> averages.put(model, Collections.unmodifiableMap(new LinkedHashMap<>(fields))));
        modelAverages = Collections.unmodifiableSortedMap(averages);
        TreeMap<String, List<PromptScore>> scores = new TreeMap<>();
        // Compact columns are unmodifiable already, and a copy would make every record again.
        if (perPrompt != null)
            perPrompt.forEach(
                    (model, list) -> scores.put(model, list instanceof CompactScores c ? c : List.copyOf(list)));
        perPrompt = Collections.unmodifiableSortedMap(scores);
    }

    /**
     * go-ml's run metadata. {@code scorer_version} is always written (go-ml never set it);
     * {@code suites} may be null, as go-ml writes it.
     */
    public record Metadata(
            @JsonProperty("judge_model") String judgeModel,
            @JsonProperty("judge_url") String judgeUrl,
            @JsonProperty("scored_at") String scoredAt,
            @JsonProperty("scorer_version") String scorerVersion,

            @JsonProperty("suites") @JsonInclude(JsonInclude.Include.ALWAYS)
            List<String> suites) {

        /**
         * Replaces null strings with empty.
         *
         * @param judgeModel the judge model
         * @param judgeUrl the judge url
         * @param scoredAt when the run ended, RFC 3339
         * @param scorerVersion the scorer version
         * @param suites the suites
         */
        public Metadata {
            judgeModel = judgeModel == null ? "" : judgeModel;
            judgeUrl = judgeUrl == null ? "" : judgeUrl;
            scoredAt = scoredAt == null ? "" : scoredAt;
            scorerVersion = scorerVersion == null ? "" : scorerVersion;
            suites = suites == null ? null : List.copyOf(suites);
        }

        /**
         * Metadata for a run that ends now (RFC 3339 with the local offset, as Go writes it).
         *
         * @param judgeModel the judge model, or empty
         * @param judgeUrl the judge URL, or empty
         * @param suites the suites as the user gave them, or null (go-ml writes {@code null})
         * @return the metadata
         */
        public static Metadata now(String judgeModel, String judgeUrl, List<String> suites) {
            return now(Clock.systemDefaultZone(), judgeModel, judgeUrl, suites);
        }

        /**
         * Metadata for a run that ends at {@code clock}'s now, in its zone: for reproducible files
         * and tests.
         *
         * @param clock the wall clock and zone to read
         * @param judgeModel the judge model, or empty
         * @param judgeUrl the judge URL, or empty
         * @param suites the suites as the user gave them, or null
         * @return the metadata
         */
        public static Metadata now(Clock clock, String judgeModel, String judgeUrl, List<String> suites) {
            return new Metadata(
                    judgeModel,
                    judgeUrl,
                    OffsetDateTime.now(clock).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                    "",
                    suites);
        }
    }

    /**
     * A score file for these scores, with go-ml's per-model averages.
     *
     * @param metadata the run metadata
     * @param perPrompt the per prompt
     * @return a score file for these scores, with go-ml's per-model averages
     */
    public static ScorerOutput of(Metadata metadata, Map<String, List<PromptScore>> perPrompt) {
        ModelAverages averages = new ModelAverages();
        for (List<PromptScore> scores : perPrompt.values()) scores.forEach(averages::add);
        return new ScorerOutput(metadata, averages.result(), perPrompt);
    }

    /**
     * Refuses, before a long run, an output path that could not be written: its directory is
     * missing or read-only, or the path is a directory. The library's files ({@link #write},
     * {@link ProbeResult#write}, {@code Report.write}) are all written the same way (a temporary
     * file beside the target, fsynced, then renamed), so the check holds for each.
     *
     * @param path the file a run will write
     * @throws ai.lthn.ml.MlIOException naming the path and what is wrong
     */
    public static void checkWritable(Path path) {
        AtomicFiles.checkWritable(path);
    }

    /**
     * Reads a score file.
     *
     *
     * @param path the file
     * @return the score file
     * @throws InvalidInputException if it is not a score file (names the file and the problem)
     * @throws MlIOException if it cannot be read
     */
    public static ScorerOutput read(Path path) {
        try {
            ScorerOutput out = Json.reader().forType(ScorerOutput.class).readValue(path.toFile());
            if (out == null) throw new InvalidInputException(path.toString(), 1, "empty score file");
            return out;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidInputException(path.toString(), line, "not a score file: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MlIOException("read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes this file as go-ml does ({@code MarshalIndent} layout, Go's escapes and float format,
     * no trailing newline), atomically (a temporary file, then a rename).
     *
     * @param path the file
     */
    public void write(Path path) {
        AtomicFiles.write(path, out -> Json.goWriter().writeValue(out, this));
    }

    /**
     * The per-model averages as a mutable copy, for callers building reports.
     *
     * @return the per-model averages as a mutable copy, for callers building reports
     */
    public Map<String, Map<String, Double>> averagesCopy() {
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        modelAverages.forEach((k, v) -> copy.put(k, new LinkedHashMap<>(v)));
        return copy;
    }
}
