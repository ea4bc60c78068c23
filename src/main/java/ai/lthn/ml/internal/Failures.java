package ai.lthn.ml.internal;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.StreamFailedException;

/** The one rule for turning a failure during generation into the exception a caller sees. */
public final class Failures {
    private Failures() {}

    /**
     * Gives a failure the text produced before it. An {@code MlException} that already carries
     * that text, or any {@code MlException} when nothing was produced, is returned as it is, so
     * its type survives. Otherwise a timeout or a cancellation keeps its type, an
     * {@link java.io.IOException} before any output becomes an {@link MlIOException}, and
     * anything else becomes a {@link StreamFailedException} with {@code failure} as its cause.
     *
     * @param failure what went wrong
     * @param partialText the text produced before it; null is read as empty
     * @return an exception to throw
     */
    public static MlException withPartialText(Throwable failure, String partialText) {
        String partial = partialText == null ? "" : partialText;
        if (failure instanceof MlException ml
                && (partial.isEmpty() || ml.partialText().equals(partial))) return ml;
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (failure instanceof MlTimeoutException t)
            return new MlTimeoutException(message, t.timeout(), partial, failure);
        if (failure instanceof GenerationCancelledException)
            return new GenerationCancelledException(message, partial, failure);
        if (failure instanceof java.io.IOException io && partial.isEmpty()) return new MlIOException(message, io);
        return new StreamFailedException(message, partial, failure);
    }

    /**
     * The same failure with {@code context} before its message, of the same type where the type
     * is one of the library's (status, timeout, cancellation, I/O, stream, input, unavailable):
     * a caller that catches {@code HttpStatusException} still catches it, with its status. An
     * exception of another subclass is returned unchanged (its type matters more).
     *
     * @param context what was being done, e.g. {@code "semantic judge chat"}
     * @param e the failure
     * @return an exception whose message is {@code context + ": " + e.getMessage()}, with
     *     {@code e} as its cause
     */
    public static MlException withContext(String context, MlException e) {
        String message = context + ": " + e.getMessage();
        String partial = e.partialText();
        if (e instanceof HttpStatusException h)
            return new HttpStatusException(
                    message, h.statusCode(), h.responseBody(), h.retryAfter().orElse(null), h.attempts(), e);
        if (e instanceof MlTimeoutException t) return new MlTimeoutException(message, t.timeout(), partial, e);
        if (e instanceof GenerationCancelledException) return new GenerationCancelledException(message, partial, e);
        if (e instanceof StreamFailedException) return new StreamFailedException(message, partial, e);
        if (e instanceof MlIOException io) return new MlIOException(message, io);
        if (e instanceof BackendUnavailableException) return new BackendUnavailableException(message, e);
        if (e instanceof InvalidInputException i)
            return new InvalidInputException(i.source(), i.location(), context + ": " + i.problem(), e);
        if (e.getClass() == MlException.class) return new MlException(message, partial, e);
        return e;
    }
}
