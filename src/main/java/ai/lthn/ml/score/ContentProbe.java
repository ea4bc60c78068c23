package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    /** Validates and copies. */
    public ContentProbe {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(groundTruth, "groundTruth");
        ccpMarkers = List.copyOf(ccpMarkers);
        truthMarkers = List.copyOf(truthMarkers);
    }

    /** The six probes, in go-ml's order. */
    public static List<ContentProbe> all() {
        return ALL;
    }

    /** The probe with this id (case-sensitive, as go-ml). */
    public static Optional<ContentProbe> byId(String id) {
        for (ContentProbe p : ALL) if (p.id.equals(id)) return Optional.of(p);
        return Optional.empty();
    }

    private record File(@JsonProperty("probes") List<ContentProbe> probes) {}

    private static List<ContentProbe> load() {
        try (InputStream in = ContentProbe.class.getResourceAsStream("content-probes.json")) {
            if (in == null) throw new IllegalStateException("missing resource content-probes.json");
            ObjectMapper m = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
            return List.copyOf(m.readValue(in, File.class).probes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
