package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoRegex;
import ai.lthn.ml.score.internal.GoText;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The pass/fail checks of go-ml's capability probes (probes.go at commit 3918051), by probe id.
 * Patterns are go-ml's, in Go syntax, run with Go semantics.
 */
final class ProbeChecks {
    private ProbeChecks() {}

    private static final Pattern THREE = GoRegex.compile("\\b3\\b|three");
    private static final Pattern THIRTY = GoRegex.compile("\\b30\\b");
    private static final Pattern LOGIC_02 =
            GoRegex.compile("\\bno\\b|\\bcannot\\b|\\bcan't\\b|not necessarily|fallac|other reason|doesn't mean");

    static final Map<String, Predicate<String>> CHECKS = Map.ofEntries(
            Map.entry("math_01", r -> r.replace(",", "").replace(" ", "").contains("10063")),
            Map.entry("math_02", containsAny("28.75", "$28.75")),
            Map.entry("math_03", regex("x\\s*=\\s*-\\s*12|=\\s*-12|-12")),
            Map.entry("math_04", regex("\\b21\\b")),
            Map.entry("math_05", containsAny("1/2", "0.5", "50%", "5/10")),
            Map.entry("math_06", regex("15[34]\\.9|153\\.9[0-9]|154\\.0|49\\s*[πpi]")),
            Map.entry("math_07", containsAny("162")),
            Map.entry("math_08", regex("\\$?612")),
            Map.entry("logic_01", regex("(?i)\\byes\\b")),
            Map.entry("logic_02", r -> LOGIC_02.matcher(GoText.toLower(r)).find()),
            Map.entry("logic_03", ProbeChecks::logic03),
            Map.entry("logic_04", regex("(?i)chicken|hen")),
            Map.entry("logic_05", regex("(?i)\\b5\\b|five")),
            Map.entry("reason_01", regex("(?i)eating|food|dining")),
            Map.entry("reason_02", regex("(?i)starter|solenoid|connection|terminal|corros|ground|wire")),
            Map.entry("reason_03", regex("(?i)\\bsouth\\b")),
            Map.entry("reason_04", containsAny("1991")),
            Map.entry("reason_05", regex("\\b24\\b")),
            Map.entry("code_01", containsAny("[2, 3]", "[2,3]")),
            Map.entry("code_02", regex("\\b8\\b")),
            Map.entry("code_03", regex("(?i)divis.*zero|zero.*divis|empty|len.*0|ZeroDivision")),
            Map.entry("word_01", regex("(?i)\\b3\\b.*hour|three.*hour")),
            Map.entry("word_02", regex("(?i)\\b7\\b|seven")));

    /** A "3" or "three" anywhere, but no "30" in the first 50 bytes of Go's lower-cased text. */
    private static boolean logic03(String r) {
        String lower = GoText.toLower(r);
        boolean has3 = THREE.matcher(lower).find();
        boolean has30 = THIRTY.matcher(GoText.prefixBytes(lower, 50)).find();
        return has3 && !has30;
    }

    private static Predicate<String> regex(String go) {
        Pattern p = GoRegex.compile(go);
        return r -> p.matcher(r).find();
    }

    private static Predicate<String> containsAny(String... needles) {
        return r -> {
            for (String n : needles) {
                if (r.contains(n)) {
                    return true;
                }
            }
            return false;
        };
    }
}
