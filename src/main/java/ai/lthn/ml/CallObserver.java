package ai.lthn.ml;

/**
 * Sees every request a backend makes to its server (each attempt, retries included): rate-limit
 * signals for an adaptive concurrency limit, token usage for accounting and budgets. Called on the
 * calling thread, so it must be quick and thread-safe; an exception it throws is the call's.
 */
@FunctionalInterface
public interface CallObserver {
    /**
     * One request's outcome.
     *
     * @param event what came back
     */
    void onCall(CallEvent event);

    /**
     * Both observers, in order.
     *
     * @param first called first
     * @param second called second
     * @return an observer calling both
     */
    static CallObserver both(CallObserver first, CallObserver second) {
        return e -> {
            first.onCall(e);
            second.onCall(e);
        };
    }
}
