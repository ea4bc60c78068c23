package ai.lthn.ml.inference;

import ai.lthn.ml.MlException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of {@link InferenceEngine}s and the entry point for loading local models, the
 * Java form of go-inference's {@code LoadModel}. Engines on the class path are discovered with
 * {@link ServiceLoader} the first time they are needed.
 *
 * <pre>{@code
 * try (TextModel model = Inference.loadModel(Path.of("/models/gemma3-4b"))) { ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Inference {
    private static final Logger LOG = LoggerFactory.getLogger(Inference.class);
    private static final Object LOCK = new Object();
    private static volatile Map<String, InferenceEngine> engines;

    private Inference() {}

    /**
     * Every registered engine, available or not, in discovery order.
     *
     * @return every registered engine, available or not, in discovery order
     */
    public static List<InferenceEngine> engines() {
        return List.copyOf(registry().values());
    }

    /**
     * The engine with that name, if registered.
     *
     * @param name the name
     * @return the engine with that name, if registered
     */
    public static Optional<InferenceEngine> engine(String name) {
        return Optional.ofNullable(registry().get(Objects.requireNonNull(name, "name")));
    }

    /**
     * Registers an engine by hand (it takes precedence over a discovered one of the same name).
     *
     * @param engine the engine
     */
    public static void register(InferenceEngine engine) {
        Objects.requireNonNull(engine, "engine");
        synchronized (LOCK) {
            Map<String, InferenceEngine> copy = new LinkedHashMap<>();
            copy.put(engine.name(), engine);
            for (var e : registry().entrySet()) copy.putIfAbsent(e.getKey(), e.getValue());
            engines = copy;
        }
    }

    /**
     * Removes a registered engine; returns whether one was removed.
     *
     * @param name the name
     * @return true if an engine of that name was registered
     */
    public static boolean unregister(String name) {
        synchronized (LOCK) {
            Map<String, InferenceEngine> copy = new LinkedHashMap<>(registry());
            boolean removed = copy.remove(name) != null;
            engines = copy;
            return removed;
        }
    }

    /**
     * Loads a model with the first engine that accepts it (or only the one named by
     * {@link LoadOption#engine}).
     *
     *
     * @param path the file
     * @param options the options, applied in order
     * @return the loaded model, to be closed by the caller
     * @throws ModelLoadException if no engine could load it; the message lists every engine
     *     and why each declined
     */
    public static TextModel loadModel(Path path, LoadOption... options) {
        Objects.requireNonNull(path, "path");
        LoadConfig config = LoadConfig.of(List.of(options));
        Map<String, InferenceEngine> all = registry();
        List<InferenceEngine> candidates = new ArrayList<>();
        if (!config.engine().isEmpty()) {
            InferenceEngine e = all.get(config.engine());
            if (e == null)
                throw new ModelLoadException("no inference engine named \"" + config.engine() + "\" (registered: "
                        + (all.isEmpty() ? "none" : String.join(", ", all.keySet())) + ")");
            candidates.add(e);
        } else {
            candidates.addAll(all.values());
        }
        if (candidates.isEmpty())
            throw new ModelLoadException(
                    "cannot load " + path
                            + ": no inference engines are registered (add an engine to the class path, or use an HTTP backend)");
        List<String> reasons = new ArrayList<>();
        for (InferenceEngine engine : candidates) {
            if (!engine.isAvailable()) {
                reasons.add(engine.name() + ": unavailable: " + engine.unavailableReason());
                continue;
            }
            try {
                return engine.loadModel(path, config);
            } catch (MlException e) {
                reasons.add(engine.name() + ": " + e.getMessage());
                LOG.debug("engine {} declined {}", engine.name(), path, e);
            }
        }
        throw new ModelLoadException("no inference engine could load " + path + ": " + String.join("; ", reasons));
    }

    private static Map<String, InferenceEngine> registry() {
        Map<String, InferenceEngine> current = engines;
        if (current != null) return current;
        synchronized (LOCK) {
            if (engines == null) engines = discover();
            return engines;
        }
    }

    private static Map<String, InferenceEngine> discover() {
        Map<String, InferenceEngine> found = new LinkedHashMap<>();
        Iterator<InferenceEngine> it = ServiceLoader.load(InferenceEngine.class, Inference.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                InferenceEngine e = it.next();
                found.putIfAbsent(e.name(), e);
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping an inference engine that failed to load: {}", e.getMessage());
            }
        }
        return found;
    }
}
