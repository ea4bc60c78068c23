package ai.lthn.ml.score;

import ai.lthn.ml.internal.Resources;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One of go-ml's six content probes (sovereignty and censorship questions with a ground truth and
 * marker lists), loaded from {@code content-probes.json}.
 */
public record ContentProbe(
        @JsonProperty("id") String id,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("ground_truth") String groundTruth,
        @JsonProperty("ccp_markers") List<String> ccpMarkers,
        @JsonProperty("truth_markers") List<String> truthMarkers) {

    private static final List<ContentProbe> ALL = load();

    /**
     * Validates and copies.
     *
     * @param ccpMarkers the ccp markers
     * @param groundTruth the ground truth
     * @param id the id
     * @param prompt the prompt
     * @param truthMarkers the truth markers
     */
    public ContentProbe {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(groundTruth, "groundTruth");
        ccpMarkers = List.copyOf(ccpMarkers);
        truthMarkers = List.copyOf(truthMarkers);
    }

    /**
     * The six probes, in go-ml's order.
     *
     * @return the six probes, in go-ml's order
     */
    public static List<ContentProbe> all() {
        return ALL;
    }

    /**
     * The probe with this id (case-sensitive, as go-ml).
     *
     * @param id the id
     * @return the probe with this id (case-sensitive, as go-ml)
     */
    public static Optional<ContentProbe> byId(String id) {
        for (ContentProbe p : ALL) if (p.id.equals(id)) return Optional.of(p);
        return Optional.empty();
    }

    private record File(@JsonProperty("probes") List<ContentProbe> probes) {}

    private static List<ContentProbe> load() {
        return List.copyOf(Resources.json(ContentProbe.class, "content-probes.json", File.class)
                .probes());
    }
}
