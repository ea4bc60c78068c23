package ai.lthn.ml.server;

/**
 * What the server measures, behind an interface so that the metrics library stays optional:
 * {@link #NONE} when no registry was given (nothing recorded, no Micrometer class loaded), {@link
 * MicrometerMetrics} otherwise. Every method is called on request threads and must be cheap: the
 * per-token path records nothing (inter-token latency is one sample per generation).
 */
interface ServerMetrics {
    ServerMetrics NONE = new ServerMetrics() {};

    /** A request finished: its route (bounded set), status and time on the server. */
    default void request(String route, int status, long nanos) {}

    /** The first token of a generation left the model, {@code nanos} after the request arrived. */
    default void firstToken(long nanos) {}

    /**
     * A generation ended normally.
     *
     * @param promptTokens prompt tokens (0 when the model does not say)
     * @param completionTokens tokens generated
     * @param afterFirstNanos time from the first token to the last
     */
    default void generation(int promptTokens, int completionTokens, long afterFirstNanos) {}

    /** An upstream or model failure, by the error code the client saw. */
    default void upstreamError(String code) {}

    /** The Prometheus text exposition, or null when metrics are not served. */
    default String scrape() {
        return null;
    }

    /** The routes metrics are kept for; anything else is {@code other} (no cardinality from paths). */
    static String route(String path) {
        return switch (path) {
            case "/v1/chat/completions",
                    "/v1/completions",
                    "/v1/embeddings",
                    "/v1/models",
                    "/healthz",
                    "/health",
                    "/",
                    "/metrics" -> path;
            default -> {
                if (path.startsWith("/v1/ml/")) yield "/v1/ml";
                if (path.startsWith("/v1/models/")) yield "/v1/models/{id}";
                if (path.startsWith("/reports/")) yield "/reports";
                yield "other";
            }
        };
    }
}
