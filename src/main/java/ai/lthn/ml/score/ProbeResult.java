package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * go-ml's {@code ProbeResult}: accuracy as a percentage, counts, per-category counts and each
 * probe's outcome with its (think-stripped, 300-byte) response.
 */
@JsonPropertyOrder({"accuracy", "correct", "total", "by_category", "probes"})
public record ProbeResult(
        @JsonProperty("accuracy") double accuracy,
        @JsonProperty("correct") int correct,
        @JsonProperty("total") int total,
        @JsonProperty("by_category") Map<String, Category> byCategory,
        @JsonProperty("probes") Map<String, Single> probes) {

    /** Copies the maps, sorted by key as Go writes them. */
    public ProbeResult {
        byCategory = new TreeMap<>(byCategory);
        probes = new TreeMap<>(probes);
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
