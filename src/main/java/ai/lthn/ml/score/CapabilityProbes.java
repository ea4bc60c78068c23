package ai.lthn.ml.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * go-ml's 23 capability probes (resource {@code capability-probes.json}, from go-ml probes.go at
 * commit 3918051), in go-ml's order. Immutable and thread-safe.
 */
public final class CapabilityProbes {
    private static final List<CapabilityProbe> ALL = load();
    private static final List<String> CATEGORIES = categoriesOf(ALL);

    private CapabilityProbes() {}

    /** All probes in go-ml's order. */
    public static List<CapabilityProbe> all() {
        return ALL;
    }

    /** The distinct categories in order of first appearance, as go-ml's {@code ProbeCategories}. */
    public static List<String> categories() {
        return CATEGORIES;
    }

    private static List<CapabilityProbe> load() {
        try (InputStream in = CapabilityProbes.class.getResourceAsStream("capability-probes.json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource ai/lthn/ml/score/capability-probes.json");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<CapabilityProbe> out = new ArrayList<>();
            for (JsonNode p : root.get("probes")) {
                out.add(new CapabilityProbe(
                        p.get("id").asText(),
                        p.get("category").asText(),
                        p.get("prompt").asText(),
                        p.get("answer").asText()));
            }
            if (out.size() != ProbeChecks.CHECKS.size()) {
                throw new IllegalStateException("capability-probes.json has " + out.size()
                        + " probes, checks exist for " + ProbeChecks.CHECKS.size());
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("reading capability-probes.json", e);
        }
    }

    private static List<String> categoriesOf(List<CapabilityProbe> probes) {
        Set<String> seen = new LinkedHashSet<>();
        probes.forEach(p -> seen.add(p.category()));
        return List.copyOf(seen);
    }
}
