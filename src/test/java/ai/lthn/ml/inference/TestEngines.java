package ai.lthn.ml.inference;

import ai.lthn.ml.BackendUnavailableException;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.nio.file.Path;

/** Engines for {@link InferenceTest}. */
public final class TestEngines {
    private TestEngines() {}

    /** Available, but declines every path. */
    public static final class Declining implements InferenceEngine {
        @Override
        public String name() {
            return "declining";
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String unavailableReason() {
            return "";
        }

        @Override
        public TextModel loadModel(Path path, LoadConfig config) {
            throw new ModelLoadException("not a declining-format model");
        }
    }

    /** Never available. */
    public static final class Unavailable implements InferenceEngine {
        @Override
        public String name() {
            return "offline";
        }

        @Override
        public boolean isAvailable() {
            return false;
        }

        @Override
        public String unavailableReason() {
            return "unsupported platform (test)";
        }

        @Override
        public TextModel loadModel(Path path, LoadConfig config) {
            throw new BackendUnavailableException("offline");
        }
    }

    /** Loads a scripted model whose type names the context length it was given. */
    static final class Scripted implements InferenceEngine {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String unavailableReason() {
            return "";
        }

        @Override
        public TextModel loadModel(Path path, LoadConfig config) {
            return ScriptedTextModel.builder()
                    .modelType("ctx-" + config.contextLength())
                    .build();
        }
    }
}
