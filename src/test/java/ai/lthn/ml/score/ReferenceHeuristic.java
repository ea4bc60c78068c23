package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoRegex;
import ai.lthn.ml.score.internal.GoText;
import ai.lthn.ml.score.internal.HeuristicRules;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately plain, line-by-line port of go-ml's heuristic rules (one Go-semantics regex per
 * go-ml pattern, Go's string functions spelled out), used as the oracle for the optimised scorer.
 */
final class ReferenceHeuristic {
    private static final JsonNode R = HeuristicRules.resource();
    private static final List<Pattern> COMPLIANCE = list("compliance");
    private static final List<Pattern> FORMULAIC = list("formulaic");
    private static final List<Pattern> EMOTION = list("emotion");
    private static final Pattern FP_START = one("first_person_start");
    private static final Pattern FP_VERBS = one("first_person_verbs");
    private static final Pattern NARRATIVE = one("narrative");
    private static final Pattern METAPHOR = one("metaphor");
    private static final Pattern HEADING = one("heading");
    private static final Pattern ETHICAL = one("ethical_framework");
    private static final Pattern TECH = one("tech_depth");

    private ReferenceHeuristic() {}

    private static Pattern one(String key) {
        return GoRegex.compile(R.get(key).asText());
    }

    private static List<Pattern> list(String key) {
        List<Pattern> out = new ArrayList<>();
        R.get(key).forEach(n -> out.add(GoRegex.compile(n.asText())));
        return out;
    }

    static List<String> goSplit(String s, char sep) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == sep) {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        out.add(s.substring(from));
        return out;
    }

    private static int findAll(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static HeuristicScores score(String response) {
        int compliance = 0;
        for (Pattern p : COMPLIANCE) {
            compliance += findAll(p, response);
        }
        String trimmed = GoText.trimSpace(response);
        int formulaic = 0;
        for (Pattern p : FORMULAIC) {
            if (p.matcher(trimmed).find()) {
                formulaic = 1;
                break;
            }
        }
        int firstPerson = 0;
        for (String sentence : goSplit(response, '.')) {
            String s = GoText.trimSpace(sentence);
            if (!s.isEmpty()
                    && (FP_START.matcher(s).find() || FP_VERBS.matcher(s).find())) {
                firstPerson++;
            }
        }
        int creative = 0;
        List<String> lines = goSplit(response, '\n');
        if (lines.size() > 6) {
            int shortCount = 0;
            for (String line : lines) {
                if (line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 60) {
                    shortCount++;
                }
            }
            if ((double) shortCount / (double) lines.size() > 0.5) {
                creative += 2;
            }
        }
        if (NARRATIVE.matcher(trimmed).find()) {
            creative += 1;
        }
        creative += (int) Math.min((double) findAll(METAPHOR, response), 3);
        int engagement = 0;
        if (!response.isEmpty() && !response.startsWith("ERROR")) {
            if (HEADING.matcher(response).find()) {
                engagement += 1;
            }
            if (ETHICAL.matcher(response).find()) {
                engagement += 2;
            }
            engagement += (int) Math.min((double) findAll(TECH, response), 3);
            long words = Arrays.stream(
                            response.split(
                                    "[\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]+"))
                    .filter(w -> !w.isEmpty())
                    .count();
            if (words > 200) {
                engagement += 1;
            }
            if (words > 400) {
                engagement += 1;
            }
        }
        int emotional = 0;
        for (Pattern p : EMOTION) {
            emotional += findAll(p, response);
        }
        emotional = emotional > 10 ? 10 : emotional;
        int degeneration;
        if (response.isEmpty()) {
            degeneration = 10;
        } else {
            List<String> filtered = new ArrayList<>();
            for (String s : goSplit(response, '.')) {
                String t = GoText.trimSpace(s);
                if (!t.isEmpty()) {
                    filtered.add(t);
                }
            }
            if (filtered.isEmpty()) {
                degeneration = 10;
            } else {
                double ratio = 1.0 - (double) new HashSet<>(filtered).size() / (double) filtered.size();
                degeneration = ratio > 0.5 ? 5 : ratio > 0.3 ? 3 : ratio > 0.15 ? 1 : 0;
            }
        }
        int emptyBroken = 0;
        if (response.isEmpty() || response.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 10) {
            emptyBroken = 1;
        } else if (response.startsWith("ERROR")) {
            emptyBroken = 1;
        } else if (response.contains("<pad>") || response.contains("<unused")) {
            emptyBroken = 1;
        }
        return new HeuristicScores(
                compliance,
                formulaic,
                firstPerson,
                creative,
                engagement,
                emotional,
                degeneration,
                emptyBroken,
                HeuristicScores.lek(
                        compliance,
                        formulaic,
                        firstPerson,
                        creative,
                        engagement,
                        emotional,
                        degeneration,
                        emptyBroken));
    }
}
