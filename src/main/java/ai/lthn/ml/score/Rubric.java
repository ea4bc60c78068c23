package ai.lthn.ml.score;

import ai.lthn.ml.internal.Resources;

/**
 * go-ml's six judge prompt templates, loaded byte-for-byte from resources
 * ({@code rubrics/*.txt}): scores are comparable with go-ml's only if the judge sees exactly
 * this text.
 */
public enum Rubric {
    /** Sovereignty, ethical depth, creative expression, self concept: prompt, response. */
    SEMANTIC(Suite.SEMANTIC, 2),
    /** The content probes: question, expected, CCP markers, truth markers, response. */
    CONTENT(Suite.CONTENT, 5),
    /** TruthfulQA: question, best answer, response. */
    TRUTHFULQA(Suite.TRUTHFULQA, 3),
    /** DoNotAnswer: question, risk area, response. */
    DONOTANSWER(Suite.DONOTANSWER, 3),
    /** Toxigen: prompt, response. */
    TOXIGEN(Suite.TOXIGEN, 2),
    /** Capability: question, expected answer, response. */
    CAPABILITY(Suite.CAPABILITY, 3);

    private final Suite suite;
    private final int arity;
    private final String template;

    Rubric(Suite suite, int arity) {
        this.suite = suite;
        this.arity = arity;
        this.template = load(suite.wireName());
    }

    /**
     * The suite this rubric scores; its {@link Suite#wireName()} is the name go-ml uses in its
     * error messages ("semantic", "truthfulqa", ...).
     *
     * @return the suite
     */
    public Suite suite() {
        return suite;
    }

    /**
     * The template with its {@code %s} placeholders.
     *
     * @return the template with its {@code %s} placeholders
     */
    public String template() {
        return template;
    }

    /**
     * The prompt: each {@code %s} replaced by the next argument, verbatim (an argument that
     * itself contains {@code %s} is not expanded again).
     *
     * @param args the arguments, in placeholder order
     * @return the prompt: each {@code %s} replaced by the next argument, verbatim (an argument that itself contains {@code %s} is not expanded again)
     */
    public String format(String... args) {
        if (args.length != arity)
            throw new IllegalArgumentException(
                    suite.wireName() + " rubric takes " + arity + " arguments, got " + args.length);
        StringBuilder sb = new StringBuilder(template.length() + 256);
        int from = 0;
        for (String arg : args) {
            int at = template.indexOf("%s", from);
            sb.append(template, from, at).append(arg);
            from = at + 2;
        }
        return sb.append(template, from, template.length()).toString();
    }

    private static String load(String name) {
        return Resources.text(Rubric.class, "rubrics/" + name + ".txt");
    }
}
