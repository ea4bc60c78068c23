package ai.lthn.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry of named backends with a default, as go-ml's {@code Service}: register backends
 * under names, then generate with one by name, falling back to the default.
 *
 * <p>Thread-safe: backends may be registered and looked up from any thread.
 *
 * <pre>{@code
 * Service service = Service.builder()
 *         .backend("ollama", HttpBackend.builder("http://127.0.0.1:11434", "qwen3").build())
 *         .build();
 * String reply = service.generate("", "Hello", GenOpts.defaults()); // uses the default
 * }</pre>
 */
public final class Service {
    /** The default backend's name when none is configured, as in go-ml. */
    public static final String DEFAULT_BACKEND_NAME = "ollama";

    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private final String defaultBackendName;

    private Service(Builder builder) {
        this.defaultBackendName = builder.defaultBackend;
        backends.putAll(builder.backends);
    }

    /**
     * A builder with no backends and the default backend name "ollama".
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds {@code backend} under {@code name}, replacing any backend already there.
     *
     * @param name the name
     * @param backend the backend to call
     */
    public void registerBackend(String name, Backend backend) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        backends.put(name, backend);
    }

    /**
     * The backend registered under {@code name}, if any.
     *
     * @param name the name
     * @return the backend registered under {@code name}, if any
     */
    public Optional<Backend> backend(String name) {
        return Optional.ofNullable(backends.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * The backend named by the default backend name, if registered.
     *
     * @return the backend named by the default backend name, if registered
     */
    public Optional<Backend> defaultBackend() {
        return backend(defaultBackendName);
    }

    /**
     * The name of the default backend.
     *
     * @return the name of the default backend
     */
    public String defaultBackendName() {
        return defaultBackendName;
    }

    /**
     * The registered backend names, sorted.
     *
     * @return the registered backend names, sorted
     */
    public List<String> backendNames() {
        List<String> names = new ArrayList<>(backends.keySet());
        names.sort(null);
        return List.copyOf(names);
    }

    /**
     * Generates with the backend named {@code backendName}, or with the default backend when no
     * backend has that name (go-ml's fallback rule; an empty name always means the default).
     *
     *
     * @param backendName the backend name
     * @param prompt the prompt
     * @param opts the generation options
     * @return the reply's text
     * @throws BackendUnavailableException if neither the named nor the default backend exists,
     *     with the message {@code no backend available (requested: "<name>")}
     * @throws MlException whatever the chosen backend throws
     */
    public String generate(String backendName, String prompt, GenOpts opts) {
        Objects.requireNonNull(backendName, "backendName");
        Backend chosen = backends.get(backendName);
        if (chosen == null) chosen = backends.get(defaultBackendName);
        if (chosen == null)
            throw new BackendUnavailableException("no backend available (requested: \"" + backendName + "\")");
        return chosen.generate(prompt, opts);
    }

    /** Builds a {@link Service}. */
    public static final class Builder {
        private final Map<String, Backend> backends = new ConcurrentHashMap<>();
        private String defaultBackend = DEFAULT_BACKEND_NAME;

        private Builder() {}

        /**
         * Registers a backend under a name.
         *
         * @param name the name
         * @param backend the backend to call
         * @return this builder
         */
        public Builder backend(String name, Backend backend) {
            backends.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(backend, "backend"));
            return this;
        }

        /**
         * The name of the default backend; an empty name means "ollama", as in go-ml.
         *
         * @param name the name
         * @return this builder
         */
        public Builder defaultBackend(String name) {
            Objects.requireNonNull(name, "name");
            this.defaultBackend = name.isEmpty() ? DEFAULT_BACKEND_NAME : name;
            return this;
        }

        /**
         * The service.
         *
         * @return the service
         */
        public Service build() {
            return new Service(this);
        }
    }
}
