package ai.lthn.ml.score;

import ai.lthn.ml.internal.Resources;
import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * All probes in go-ml's order.
     *
     * @return all probes in go-ml's order
     */
    public static List<CapabilityProbe> all() {
        return ALL;
    }

    /**
     * The distinct categories in order of first appearance, as go-ml's {@code ProbeCategories}.
     *
     * @return the distinct categories in order of first appearance, as go-ml's {@code ProbeCategories}
     */
    public static List<String> categories() {
        return CATEGORIES;
    }

    private static List<CapabilityProbe> load() {
        JsonNode root = Resources.json(CapabilityProbes.class, "capability-probes.json");
        List<CapabilityProbe> out = new ArrayList<>();
        for (JsonNode p : root.get("probes")) {
            out.add(new CapabilityProbe(
                    p.get("id").asText(),
                    p.get("category").asText(),
                    p.get("prompt").asText(),
                    p.get("answer").asText()));
        }
        if (out.size() != ProbeChecks.CHECKS.size()) {
            throw new IllegalStateException("capability-probes.json has " + out.size() + " probes, checks exist for "
                    + ProbeChecks.CHECKS.size());
        }
        return List.copyOf(out);
    }

    private static List<String> categoriesOf(List<CapabilityProbe> probes) {
        Set<String> seen = new LinkedHashSet<>();
        probes.forEach(p -> seen.add(p.category()));
        return List.copyOf(seen);
    }
}
