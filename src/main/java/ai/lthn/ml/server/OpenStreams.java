package ai.lthn.ml.server;

import ai.lthn.ml.inference.TokenStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The streams (and pass-through calls) in flight, which closing the server cancels. A request
 * that was still starting when the server began cancelling — its upstream call not yet answered,
 * so not yet registered — is told so when it registers, and cancels itself: without that it
 * would run on, unseen, after the server closed ({@code PassThroughTest} met that race).
 */
final class OpenStreams {
    private final Set<TokenStream> open = new HashSet<>();
    private boolean cancelling;

    /**
     * Registers {@code s}.
     *
     * @return false when the server is already cancelling: {@code s} was not registered and the
     *     caller must cancel it
     */
    synchronized boolean add(TokenStream s) {
        if (cancelling) return false;
        open.add(s);
        return true;
    }

    /**
     * Unregisters {@code s}.
     *
     * @return whether it was registered
     */
    synchronized boolean remove(TokenStream s) {
        return open.remove(s);
    }

    /** Closes every stream in flight; from now on {@link #add} refuses. */
    void cancelAll() {
        List<TokenStream> now;
        synchronized (this) {
            cancelling = true;
            now = new ArrayList<>(open);
        }
        for (TokenStream s : now) s.close();
    }
}
