package ai.lthn.ml.score;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A scoring suite, named on the wire (flags, files, messages) as go-ml names it. The first five
 * are what an {@link Engine} runs; the three standard benchmarks run within {@link #STANDARD},
 * and {@link #CAPABILITY} is the capability judge's rubric. Strings are parsed once, at the
 * edge, by {@link #parse} (a suite list) or {@link #fromWireName} (one name).
 *
 * <pre>{@code
 * Set<Suite> suites = Suite.parse("heuristic,semantic");   // as ml score --suites takes them
 * Engine engine = Engine.builder(judge).suites(suites).build();
 * }</pre>
 */
public enum Suite {
    /** The heuristic (LEK) scorer; no judge. */
    HEURISTIC("heuristic", true, false),
    /** The semantic judge rubric. */
    SEMANTIC("semantic", true, true),
    /** The content judge rubric, for responses to the content probes. */
    CONTENT("content", true, true),
    /** TruthfulQA, DoNotAnswer and Toxigen, each where its response has the fields it needs. */
    STANDARD("standard", true, true),
    /** GSM8K exact match against a correct answer; no judge. */
    EXACT("exact", true, false),
    /** TruthfulQA, within {@link #STANDARD}. */
    TRUTHFULQA("truthfulqa", false, true),
    /** DoNotAnswer, within {@link #STANDARD}. */
    DONOTANSWER("donotanswer", false, true),
    /** Toxigen, within {@link #STANDARD}. */
    TOXIGEN("toxigen", false, true),
    /** The capability judge rubric (the probes' judged variant); not an engine suite. */
    CAPABILITY("capability", false, true);

    /** What {@code "all"} enables: the five engine suites, in go-ml's order. */
    public static final Set<Suite> ALL =
            Collections.unmodifiableSet(EnumSet.of(HEURISTIC, SEMANTIC, CONTENT, STANDARD, EXACT));

    /**
     * The default of both {@link Engine.Builder} and {@code ml score}: heuristic and exact, which
     * need no judge and no network.
     */
    public static final Set<Suite> DEFAULTS = Collections.unmodifiableSet(EnumSet.of(HEURISTIC, EXACT));

    private final String wireName;
    private final boolean engineSuite;
    private final boolean needsJudge;

    Suite(String wireName, boolean engineSuite, boolean needsJudge) {
        this.wireName = wireName;
        this.engineSuite = engineSuite;
        this.needsJudge = needsJudge;
    }

    /**
     * The name go-ml uses in flags, files and messages ("heuristic", "truthfulqa", ...).
     *
     * @return the wire name
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * Whether an {@link Engine} can be asked to run this suite (the five of {@link #ALL}).
     *
     * @return true for heuristic, semantic, content, standard and exact
     */
    public boolean isEngineSuite() {
        return engineSuite;
    }

    /**
     * Whether this suite asks an LLM judge.
     *
     * @return true for every suite but heuristic and exact
     */
    public boolean needsJudge() {
        return needsJudge;
    }

    /**
     * The engine suite this one runs within: {@link #STANDARD} for the three standard benchmarks.
     *
     * @return the enclosing suite, or empty for an engine suite and {@link #CAPABILITY}
     */
    public Optional<Suite> within() {
        return this == TRUTHFULQA || this == DONOTANSWER || this == TOXIGEN ? Optional.of(STANDARD) : Optional.empty();
    }

    /**
     * The suite with this wire name (exactly, case-sensitive as go-ml).
     *
     * @param wireName e.g. "semantic"
     * @return the suite
     * @throws IllegalArgumentException if no suite has that name
     */
    @JsonCreator
    public static Suite fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        for (Suite s : values()) if (s.wireName.equals(wireName)) return s;
        throw new IllegalArgumentException("unknown suite \"" + wireName + "\"");
    }

    /**
     * go-ml's suite list: {@code "all"} (exactly) is {@link #ALL}; otherwise a comma-separated
     * list of engine suite names, blanks around names and empty entries ignored. The set iterates
     * in go-ml's order.
     *
     * @param list e.g. {@code "all"} or {@code "heuristic, semantic"}
     * @return the suites, possibly none
     * @throws IllegalArgumentException for a name that is not an engine suite (go-ml ignored
     *     typos), naming the valid ones
     */
    public static Set<Suite> parse(String list) {
        Objects.requireNonNull(list, "suites");
        if (list.equals("all")) return ALL;
        Set<Suite> suites = EnumSet.noneOf(Suite.class);
        for (String part : list.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) continue;
            Suite s = ALL.stream()
                    .filter(a -> a.wireName.equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown suite \"" + name + "\" (suites: all, "
                            + names(ALL) + "; truthfulqa, donotanswer and toxigen run within standard)"));
            suites.add(s);
        }
        return Collections.unmodifiableSet(suites);
    }

    /**
     * Wire names joined with ", ".
     *
     * @param suites the suites
     * @return e.g. {@code "heuristic, exact"}
     */
    static String names(Set<Suite> suites) {
        return suites.stream().map(Suite::wireName).collect(Collectors.joining(", "));
    }
}
