package ai.lthn.ml.score.internal;

import ai.lthn.ml.internal.Resources;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * go-ml's heuristic patterns (resource {@code heuristic-patterns.json}), compiled once with Go
 * semantics. The general path of the scorer (and the reference in tests) uses them.
 */
public final class HeuristicRules {
    /** Patterns compiled for arbitrary text. */
    public static final HeuristicRules GENERAL = new HeuristicRules(patterns());

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

    private HeuristicRules(Map<String, List<String>> root) {
        compliance = list(root, "compliance");
        formulaic = list(root, "formulaic");
        firstPersonStart = one(root, "first_person_start");
        firstPersonVerbs = one(root, "first_person_verbs");
        narrative = one(root, "narrative");
        metaphor = one(root, "metaphor");
        heading = one(root, "heading");
        ethicalFramework = one(root, "ethical_framework");
        techDepth = one(root, "tech_depth");
        emotion = list(root, "emotion");
    }

    private static final String RESOURCE = "/ai/lthn/ml/score/heuristic-patterns.json";

    /** The raw resource tree (Go pattern strings). */
    public static JsonNode resource() {
        return Resources.json(HeuristicRules.class, RESOURCE);
    }

    /**
     * The resource's patterns by name, each a list (one element for a single pattern): read once,
     * shared by these rules and the {@link TextScanner}.
     */
    public static Map<String, List<String>> patterns() {
        return Patterns.ALL;
    }

    /** The resource, read on first use (before {@link #GENERAL}, whichever class comes first). */
    private static final class Patterns {
        static final Map<String, List<String>> ALL = read();
    }

    /**
     * Reads the resource with Jackson's streaming parser: the scorer's start-up does not pay for
     * data binding (~0.2 s).
     */
    private static Map<String, List<String>> read() {
        byte[] json = Resources.bytes(HeuristicRules.class, RESOURCE);
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalStateException(RESOURCE + ": not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    out.put(name, List.of(p.getText()));
                } else if (t == JsonToken.START_ARRAY) {
                    List<String> list = new ArrayList<>();
                    while (p.nextToken() == JsonToken.VALUE_STRING) list.add(p.getText());
                    if (p.currentToken() != JsonToken.END_ARRAY)
                        throw new IllegalStateException(RESOURCE + ": " + name + " holds a non-string");
                    out.put(name, List.copyOf(list));
                } else {
                    throw new IllegalStateException(RESOURCE + ": " + name + " is not a string or a list");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + RESOURCE, e);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Pattern one(Map<String, List<String>> root, String name) {
        return GoRegex.compile(single(root, name));
    }

    /** The one pattern named {@code name}. */
    public static String single(Map<String, List<String>> root, String name) {
        List<String> v = root.get(name);
        if (v == null || v.size() != 1) throw new IllegalStateException(RESOURCE + ": " + name + " is not one pattern");
        return v.get(0);
    }

    private static List<Pattern> list(Map<String, List<String>> root, String name) {
        List<String> v = root.get(name);
        if (v == null) throw new IllegalStateException(RESOURCE + ": no " + name);
        return v.stream().map(GoRegex::compile).toList();
    }
}
