package ai.lthn.ml.backend.nativeengine;

import ai.lthn.ml.inference.AbstractTokenStream;

/** One generation over a native model handle; the model tracks these to cancel them on close. */
abstract class NativeTokenStream extends AbstractTokenStream {
    /** Begins the generation; called once, right after construction, under the model's lock. */
    abstract void start();

    /**
     * Waits until the native generation can no longer touch the model handle (after {@link
     * #close()}); true when interrupted while waiting.
     */
    abstract boolean awaitNative();
}
