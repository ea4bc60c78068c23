package ai.lthn.ml.server;

import ai.lthn.ml.inference.TextModel;
import java.time.Duration;
import java.util.List;

/** An {@link OpenAiServer}'s settings, fixed when it is built. */
record Settings(
        TextModel model,
        String modelId,
        String host,
        int port,
        int maxTokens,
        int maxContext,
        int maxConcurrent,
        int queue,
        Duration queueWait,
        Duration requestTimeout,
        String apiKey,
        long maxBodyBytes,
        long maxResponseChars,
        Duration drain,
        Duration headerTimeout,
        Duration writeTimeout,
        Duration idleTimeout,
        int maxConnectionsPerClient,
        int maxConnections,
        List<String> allowedHosts,
        List<String> allowedOrigins,
        java.nio.file.Path reports,
        ai.lthn.ml.Ticker ticker,
        java.time.Clock clock,
        ai.lthn.ml.Service mlService,
        boolean mlHasJudge,
        Object meterRegistry) {

    Settings {
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * The model to ask the served model for: the request's {@code model}, except that the served
     * id itself (what {@code /v1/models} lists first and clients echo back) means the backend's own.
     */
    String upstreamModel(String requested) {
        return requested.equals(modelId()) ? "" : requested;
    }

    Settings(OpenAiServer.Builder b) {
        this(
                b.model,
                b.modelId,
                b.host,
                b.port,
                b.maxTokens,
                b.maxContext,
                b.maxConcurrent,
                b.queue,
                b.queueWait,
                b.requestTimeout,
                b.apiKey,
                b.maxBodyBytes,
                b.maxResponseChars,
                b.drain,
                b.headerTimeout,
                b.writeTimeout,
                b.idleTimeout,
                b.maxConnectionsPerClient,
                b.maxConnections,
                b.allowedHosts,
                b.allowedOrigins,
                b.reports,
                b.ticker,
                b.clock,
                b.mlService,
                b.mlHasJudge,
                b.meterRegistry);
    }
}
