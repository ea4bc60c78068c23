package ai.lthn.ml;

/**
 * A source of elapsed time in nanoseconds, as Caffeine's {@code Ticker}: what the library reads
 * to measure deadlines, retry budgets, metrics and run times. Only differences between two
 * readings mean anything. Inject one through a builder's {@code ticker(...)} setting to control
 * time in a test ({@link ai.lthn.ml.testing.ManualTime} is a ticker that moves when told).
 *
 * <p>Implementations must be thread-safe and cheap: the HTTP streams read it per token.
 */
@FunctionalInterface
public interface Ticker {

    /**
     * The current reading.
     *
     * @return nanoseconds since an arbitrary origin
     */
    long read();

    /**
     * The JVM's monotonic clock, {@link System#nanoTime()}.
     *
     * @return the system ticker
     */
    static Ticker system() {
        return System::nanoTime;
    }
}
