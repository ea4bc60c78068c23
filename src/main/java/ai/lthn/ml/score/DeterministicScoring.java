package ai.lthn.ml.score;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scores responses with the suites that need no judge: {@code heuristic} (go-ml's
 * {@code ScoreHeuristic} on the raw response) and {@code exact} (GSM8K, only for responses with a
 * {@code correct_answer}). Stateless and thread-safe.
 */
public final class DeterministicScoring {
    /** The suites this class runs. */
    public static final Set<String> SUITES = Set.of("heuristic", "exact");

    private final boolean heuristic;
    private final boolean exact;

    private DeterministicScoring(boolean heuristic, boolean exact) {
        this.heuristic = heuristic;
        this.exact = exact;
    }

    /**
     * Parses a suite list as go-ml does (comma-separated, each name trimmed, verbatim).
     *
     * @throws IllegalArgumentException if a suite needs an LLM judge, or the list names no suite
     */
    public static DeterministicScoring forSuites(String suiteList) {
        Set<String> names = new LinkedHashSet<>();
        for (String s : suiteList.split(",")) {
            String name = s.strip();
            if (!name.isEmpty()) names.add(name);
        }
        if (names.isEmpty()) throw new IllegalArgumentException("no suites given");
        for (String n : names)
            if (!SUITES.contains(n))
                throw new IllegalArgumentException("suite \"" + n
                        + "\" needs an LLM judge, which this build does not run yet; use heuristic,exact");
        return new DeterministicScoring(names.contains("heuristic"), names.contains("exact"));
    }

    /** The suites enabled, in go-ml's order. */
    public List<String> suites() {
        return heuristic && exact ? List.of("heuristic", "exact") : heuristic ? List.of("heuristic") : List.of("exact");
    }

    /** Scores one response. */
    public PromptScore score(Response r) {
        HeuristicScores h = heuristic ? HeuristicScorer.score(r.response()) : null;
        StandardScores s = exact && !r.correctAnswer().isEmpty()
                ? StandardScores.exact(ExactMatch.score(r.response(), r.correctAnswer()))
                : null;
        return new PromptScore(r.id(), r.model(), h, s);
    }
}
