package ai.lthn.ml.score;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * One of go-ml's binary capability probes: a prompt with a known answer and a deterministic
 * check of the model's response (no judge model needed).
 *
 * @param id probe id, e.g. {@code math_01}
 * @param category category, e.g. {@code arithmetic}
 * @param prompt the prompt sent to the model
 * @param answer the expected answer, for display
 */
public record CapabilityProbe(String id, String category, String prompt, String answer) {
    /**
     * Validates; the id must be one of go-ml's probes (it selects the check).
     *
     *
     * @param answer the expected answer, for display
     * @param category category, e.g. {@code arithmetic}
     * @param id probe id, e.g. {@code math_01}
     * @param prompt the prompt sent to the model
     * @throws IllegalArgumentException if no check exists for {@code id}
     */
    public CapabilityProbe {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        if (!ProbeChecks.CHECKS.containsKey(id)) {
            throw new IllegalArgumentException("unknown capability probe id: " + id);
        }
    }

    /**
     * Whether {@code response} passes this probe's check, exactly as go-ml decides.
     *
     *
     * @param response the model's reply
     * @return whether {@code response} passes this probe's check, exactly as go-ml decides
     * @throws NullPointerException if {@code response} is null
     */
    public boolean check(String response) {
        Objects.requireNonNull(response, "response");
        Predicate<String> check = ProbeChecks.CHECKS.get(id);
        return check.test(ai.lthn.ml.score.internal.GoText.goString(response));
    }
}
