package ai.lthn.ml.score.internal;

import ai.lthn.ml.internal.Resources;
import com.fasterxml.jackson.databind.JsonNode;
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
        return Resources.json(HeuristicRules.class, "/ai/lthn/ml/score/heuristic-patterns.json");
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
