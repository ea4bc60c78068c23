package ai.lthn.ml.score;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * go-ml's {@code ProbeResult}: accuracy as a percentage, counts, per-category counts and each
 * probe's outcome with its (think-stripped, 300-byte) response.
 */
public record ProbeResult(
        @JsonProperty("accuracy") double accuracy,
        @JsonProperty("correct") int correct,
        @JsonProperty("total") int total,
        @JsonProperty("by_category") Map<String, Category> byCategory,
        @JsonProperty("probes") Map<String, Single> probes) {

    /**
     * Copies the maps, sorted by key as Go writes them; the copies are unmodifiable.
     *
     * @param accuracy the accuracy
     * @param byCategory the by category
     * @param correct the correct
     * @param probes the probes
     * @param total the total
     */
    public ProbeResult {
        byCategory = Collections.unmodifiableSortedMap(new TreeMap<>(byCategory));
        probes = Collections.unmodifiableSortedMap(new TreeMap<>(probes));
    }

    /**
     * Writes this result as go-ml does ({@code MarshalIndent} layout, Go's escapes and float
     * format, no trailing newline), atomically (a temporary file, then a rename).
     *
     * @param path the file to write
     * @throws ai.lthn.ml.MlIOException if it cannot be written
     */
    public void write(Path path) {
        AtomicFiles.write(path, out -> Json.goWriter().writeValue(out, this));
    }

    /**
     * Reads a probe file written by {@link #write} or by go-ml.
     *
     * @param path the file
     * @return the result
     * @throws InvalidInputException if it is not a probe file
     * @throws MlIOException if it cannot be read
     */
    public static ProbeResult read(Path path) {
        try {
            ProbeResult r = Json.reader().forType(ProbeResult.class).readValue(path.toFile());
            if (r == null) throw new InvalidInputException(path.toString(), 0, "not a probe file: empty");
            return r;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(path.toString(), 0, "not a probe file: " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new MlIOException("read " + path + ": no such file", e);
        } catch (IOException e) {
            throw new MlIOException("read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Counts for one category. */
    public record Category(
            @JsonProperty("correct") int correct,
            @JsonProperty("total") int total) {}

    /** One probe's outcome. */
    public record Single(
            @JsonProperty("passed") boolean passed,
            @JsonProperty("response") String response) {}
}
