package ai.lthn.ml.inference.internal;

import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateMetrics;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * OpenAI's {@code stop} for a model that has no stop strings of its own: a stream whose text ends
 * before the first stop string, the generation cancelled there ({@code finish_reason} "stop").
 * While streaming, text that could be the start of a stop string is held back until the next
 * token settles it, so no part of a stop string is ever emitted. Tokens come out re-cut (their
 * ids are not kept). Not thread-safe except {@link #close()}, as every stream.
 */
public final class StopStrings implements TokenStream {
    private final TokenStream inner;
    private final List<String> stop;
    private final StringBuilder pending = new StringBuilder();
    private Token ready;
    private boolean stopped;
    private boolean ended;

    private StopStrings(TokenStream inner, List<String> stop) {
        this.inner = inner;
        this.stop = stop;
    }

    /**
     * {@code inner} cut at the first of {@code stop}; {@code inner} itself when there is none.
     *
     * @param inner the model's stream
     * @param stop the stop strings, none empty
     * @return the stream to read
     */
    public static TokenStream apply(TokenStream inner, List<String> stop) {
        if (stop.isEmpty()) return inner;
        for (String s : stop) if (s.isEmpty()) throw new IllegalArgumentException("an empty stop string");
        return new StopStrings(inner, List.copyOf(stop));
    }

    @Override
    public boolean hasNext() {
        while (ready == null && !ended) {
            if (stopped || !inner.hasNext()) {
                ended = true;
                if (pending.length() > 0) ready = take(pending.length());
                break;
            }
            pending.append(inner.next().text());
            int at = firstStop();
            if (at >= 0) {
                stopped = true;
                pending.setLength(at);
                inner.close(); // the model stops generating
                continue;
            }
            int settled = settled();
            if (settled > 0) ready = take(settled);
        }
        return ready != null;
    }

    @Override
    public Token next() {
        if (!hasNext()) throw new NoSuchElementException("the stream has ended");
        Token t = ready;
        ready = null;
        return t;
    }

    private Token take(int chars) {
        Token t = Token.of(pending.substring(0, chars));
        pending.delete(0, chars);
        return t;
    }

    /** Where the earliest complete stop string starts in the pending text, or -1. */
    private int firstStop() {
        int best = -1;
        for (String s : stop) {
            int i = pending.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }

    /** How much of the pending text no stop string can start in: all but a possible stop prefix. */
    private int settled() {
        int length = pending.length();
        for (int from = 0; from < length; from++) {
            int tail = length - from;
            for (String s : stop) if (tail < s.length() && startsStop(from, s)) return from;
        }
        return length;
    }

    /** Whether the pending text from {@code from} to its end is how {@code s} begins. */
    private boolean startsStop(int from, String s) {
        for (int i = from; i < pending.length(); i++) if (pending.charAt(i) != s.charAt(i - from)) return false;
        return true;
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public FinishReason finishReason() {
        return stopped ? FinishReason.STOP : inner.finishReason();
    }

    @Override
    public GenerateMetrics metrics() {
        return inner.metrics();
    }
}
