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
    public static final HeuristicRules GENERAL = load(false);

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

    private HeuristicRules(JsonNode root, boolean asciiLower) {
        compliance = list(root.get("compliance"), asciiLower);
        formulaic = list(root.get("formulaic"), asciiLower);
        firstPersonStart = one(root.get("first_person_start"), asciiLower);
        firstPersonVerbs = one(root.get("first_person_verbs"), asciiLower);
        narrative = one(root.get("narrative"), asciiLower);
        metaphor = one(root.get("metaphor"), asciiLower);
        heading = one(root.get("heading"), asciiLower);
        ethicalFramework = one(root.get("ethical_framework"), asciiLower);
        techDepth = one(root.get("tech_depth"), asciiLower);
        emotion = list(root.get("emotion"), asciiLower);
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

    private static HeuristicRules load(boolean asciiLower) {
        return new HeuristicRules(resource(), asciiLower);
    }

    private static Pattern one(JsonNode node, boolean asciiLower) {
        String go = node.asText();
        return asciiLower ? GoRegex.compileForAsciiLower(go) : GoRegex.compile(go);
    }

    private static List<Pattern> list(JsonNode node, boolean asciiLower) {
        List<Pattern> out = new ArrayList<>();
        node.forEach(n -> out.add(one(n, asciiLower)));
        return List.copyOf(out);
    }
}
