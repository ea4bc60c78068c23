package ai.lthn.ml.server;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/**
 * Maps a generation failure to the status and envelope a client gets. A failure of the upstream
 * server behind an HTTP model (an error status, a broken connection, a reply that is not the
 * protocol) is a 502 whose message says which, without the upstream's address or a parser's
 * internals (those go to the log); a local model's own failure is a 500 with its message.
 */
final class Failures {
    private Failures() {}

    static ApiException of(MlException e) {
        if (e instanceof MlTimeoutException) return timeout();
        if (e instanceof BackendUnavailableException)
            return new ApiException(503, "server_error", "unavailable", "the model is unavailable");
        if (e instanceof GenerationCancelledException)
            return new ApiException(503, "server_error", "cancelled", "generation cancelled");
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HttpStatusException h)
                return upstream("the upstream server answered HTTP " + h.statusCode());
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException || c instanceof InvalidInputException)
                return upstream("the upstream server sent a reply that is not a valid response");
            if (c instanceof MlIOException || c instanceof IOException)
                return upstream("the upstream server could not be reached or broke the connection");
        }
        return new ApiException(500, "server_error", null, e.getMessage());
    }

    static ApiException timeout() {
        return new ApiException(504, "server_error", "timeout", "generation timed out");
    }

    private static ApiException upstream(String message) {
        return new ApiException(502, "upstream_error", null, message);
    }
}
