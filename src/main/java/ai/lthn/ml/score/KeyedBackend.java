package ai.lthn.ml.score;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A backend whose every call goes through {@link Route} with a key that identifies it: the
 * SHA-256 of a scope (what else the reply depends on: model, URL), the call kind, the options and
 * the whole prompt or conversation. The run ledger and the call cache are built on it.
 */
final class KeyedBackend implements Backend {
    /** Decides how a keyed call is answered. */
    @FunctionalInterface
    interface Route {
        /**
         * Answers a call.
         *
         * @param key the call's key
         * @param opts its options
         * @param real makes the call
         * @return the reply
         */
        String call(String key, GenOpts opts, Supplier<String> real);
    }

    private final Backend backend;
    private final String scope;
    private final Route route;

    KeyedBackend(Backend backend, String scope, Route route) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.route = route;
    }

    @Override
    public String generate(String prompt, GenOpts opts) {
        return route.call(key(scope, "generate", opts, prompt), opts, () -> backend.generate(prompt, opts));
    }

    @Override
    public String chat(List<Message> messages, GenOpts opts) {
        StringBuilder sb = new StringBuilder();
        for (Message m : messages)
            sb.append(m.role()).append('\0').append(m.content()).append('\0');
        return route.call(key(scope, "chat", opts, sb.toString()), opts, () -> backend.chat(messages, opts));
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public boolean isAvailable() {
        return backend.isAvailable();
    }

    static String key(String scope, String kind, GenOpts opts, String text) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {scope, kind, opts.toString(), text}) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
