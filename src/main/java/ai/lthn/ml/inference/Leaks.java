package ai.lthn.ml.inference;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports streams that were garbage-collected while still open (as OkHttp reports leaked
 * responses): the first one is logged as a warning, later ones are only counted.
 */
final class Leaks {
    private static final Logger LOG = LoggerFactory.getLogger(TokenStream.class);
    private static final AtomicBoolean REPORTED = new AtomicBoolean();
    private static final AtomicLong COUNT = new AtomicLong();

    /** Where the one report goes; tests replace it. */
    static volatile Consumer<String> sink = LOG::warn;

    private Leaks() {}

    static void report(String type) {
        COUNT.incrementAndGet();
        if (REPORTED.compareAndSet(false, true))
            sink.accept("a " + type + " was garbage-collected without being closed or read to its end: its"
                    + " generation was never cancelled and its resources were held until now. Close every"
                    + " TokenStream (try-with-resources). Further leaks are not logged.");
    }

    /** Streams reported so far. */
    static long count() {
        return COUNT.get();
    }

    /** Lets the next leak be logged again (tests). */
    static void rearm() {
        REPORTED.set(false);
    }
}
