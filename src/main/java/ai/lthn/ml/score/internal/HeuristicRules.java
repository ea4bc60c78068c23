package ai.lthn.ml.score.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * go-ml's heuristic patterns (resource {@code heuristic-patterns.json}), compiled once with Go
 * semantics. The general path of the scorer (and the reference in tests) uses them.
 */
public final class HeuristicRules {
    /** Patterns compiled for arbitrary text. */
    public static final HeuristicRules GENERAL = new HeuristicRules(resource());

    public final List<Pattern> compliance;
    public final List<Pattern> formulaic;
    public final Pattern firstPersonStart;
    public final Pattern firstPersonVerbs;
    public final Pattern narrative;
    public final Pattern metaphor;
    public final Pattern heading;
    public final Pattern ethicalFramework;
    public final Pattern techDepth;
    public final List<Pattern> emotion;

    private HeuristicRules(JsonNode root) {
        compliance = list(root.get("compliance"));
        formulaic = list(root.get("formulaic"));
        firstPersonStart = one(root.get("first_person_start"));
        firstPersonVerbs = one(root.get("first_person_verbs"));
        narrative = one(root.get("narrative"));
        metaphor = one(root.get("metaphor"));
        heading = one(root.get("heading"));
        ethicalFramework = one(root.get("ethical_framework"));
        techDepth = one(root.get("tech_depth"));
        emotion = list(root.get("emotion"));
    }

    /** The raw resource tree (Go pattern strings). */
    public static JsonNode resource() {
        try (InputStream in = HeuristicRules.class.getResourceAsStream("/ai/lthn/ml/score/heuristic-patterns.json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource ai/lthn/ml/score/heuristic-patterns.json");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading heuristic-patterns.json", e);
        }
    }

    private static Pattern one(JsonNode node) {
        return GoRegex.compile(node.asText());
    }

    private static List<Pattern> list(JsonNode node) {
        List<Pattern> out = new ArrayList<>();
        node.forEach(n -> out.add(one(n)));
        return List.copyOf(out);
    }
}
