package ai.lthn.ml.data;

import ai.lthn.ml.internal.Resources;
import java.util.List;

/**
 * Go's {@code math/rand}: {@code rand.New(rand.NewSource(seed))}, value for value. go-ml shuffles
 * its train/valid/test split with it, so the same seed gives the same split only through an exact
 * port: the additive lagged Fibonacci generator ({@code rngSource}: 607 words, tap 273) seeded by
 * {@code seedrand} (Park–Miller, 48271) XOR the {@code rngCooked} table (resource {@code
 * go-rng-cooked.txt}, from Go's {@code rng.go}), and {@code Rand}'s derivations. Not thread-safe
 * (Go's {@code rand.New} source is not either).
 */
final class GoRandom {
    private static final int LEN = 607;
    private static final int TAP = 273;
    private static final long MASK = Long.MAX_VALUE; // 1<<63 - 1
    private static final int INT32_MAX = Integer.MAX_VALUE;
    private static final long[] COOKED = cooked();

    private final long[] vec = new long[LEN];
    private int tap;
    private int feed;

    /**
     * {@code rand.New(rand.NewSource(seed))}.
     *
     * @param seed any value; Go reduces it modulo 2^31-1 and maps 0 to 89482311
     */
    GoRandom(long seed) {
        tap = 0;
        feed = LEN - TAP;
        seed = seed % INT32_MAX;
        if (seed < 0) seed += INT32_MAX;
        if (seed == 0) seed = 89482311;
        int x = (int) seed;
        for (int i = -20; i < LEN; i++) {
            x = seedrand(x);
            if (i >= 0) {
                long u = (long) x << 40;
                x = seedrand(x);
                u ^= (long) x << 20;
                x = seedrand(x);
                u ^= x;
                u ^= COOKED[i];
                vec[i] = u;
            }
        }
    }

    /** Go's {@code seedrand}: x[n+1] = 48271 * x[n] mod (2^31 - 1), in 32-bit arithmetic. */
    private static int seedrand(int x) {
        final int a = 48271;
        final int q = 44488;
        final int r = 3399;
        int hi = x / q;
        int lo = x % q;
        x = a * lo - r * hi;
        if (x < 0) x += INT32_MAX;
        return x;
    }

    /** {@code rngSource.Uint64} (also {@code Rand.Uint64}: the source is a {@code Source64}). */
    long uint64() {
        if (--tap < 0) tap += LEN;
        if (--feed < 0) feed += LEN;
        long x = vec[feed] + vec[tap];
        vec[feed] = x;
        return x;
    }

    /** {@code Int63}: a non-negative 63-bit value. */
    long int63() {
        return uint64() & MASK;
    }

    /** {@code Int31}. */
    int int31() {
        return (int) (int63() >>> 32);
    }

    /** {@code Uint32} (as the low 32 bits of an int). */
    int uint32() {
        return (int) (int63() >>> 31);
    }

    /** {@code Int63n}: rejection sampling then modulo. */
    long int63n(long n) {
        if (n <= 0) throw new IllegalArgumentException("invalid argument to Int63n");
        if ((n & (n - 1)) == 0) return int63() & (n - 1);
        long max = Long.MAX_VALUE - Long.remainderUnsigned(Long.MIN_VALUE, n);
        long v = int63();
        while (v > max) v = int63();
        return v % n;
    }

    /** {@code Int31n} (the exported one: rejection sampling then modulo, not Lemire's). */
    int int31n(int n) {
        if (n <= 0) throw new IllegalArgumentException("invalid argument to Int31n");
        if ((n & (n - 1)) == 0) return int31() & (n - 1);
        int max = (int) (INT32_MAX - (1L << 31) % n);
        int v = int31();
        while (v > max) v = int31();
        return v % n;
    }

    /** The unexported {@code int31n}: Lemire's multiply-and-shift, used by {@code Shuffle}. */
    int lemire31n(int n) {
        long v = Integer.toUnsignedLong(uint32());
        long prod = v * n;
        long low = prod & 0xFFFF_FFFFL;
        if (low < n) {
            long thresh = Integer.toUnsignedLong(-n) % n;
            while (low < thresh) {
                v = Integer.toUnsignedLong(uint32());
                prod = v * n;
                low = prod & 0xFFFF_FFFFL;
            }
        }
        return (int) (prod >>> 32);
    }

    /** {@code Intn} on a 64-bit platform: {@code Int31n} below 2^31, {@code Int63n} above. */
    long intn(long n) {
        if (n <= 0) throw new IllegalArgumentException("invalid argument to Intn");
        if (n <= INT32_MAX) return int31n((int) n);
        return int63n(n);
    }

    /** Swaps two positions for {@link #shuffle(long, Swap)}. */
    @FunctionalInterface
    interface Swap {
        void swap(long i, long j);
    }

    /**
     * {@code Rand.Shuffle}: Fisher–Yates from the last position down, {@code Int63n} while {@code
     * i + 1 > 2^31 - 1}, then the Lemire {@code int31n}.
     *
     * @param n the number of elements
     * @param swap exchanges positions i and j
     */
    void shuffle(long n, Swap swap) {
        if (n < 0) throw new IllegalArgumentException("invalid argument to Shuffle");
        long i = n - 1;
        for (; i > (1L << 31) - 1 - 1; i--) swap.swap(i, int63n(i + 1));
        for (; i > 0; i--) swap.swap(i, lemire31n((int) (i + 1)));
    }

    /** Shuffles a list in place as {@link #shuffle(long, Swap)} does. */
    <T> void shuffle(List<T> list) {
        shuffle(list.size(), (i, j) -> {
            T t = list.get((int) i);
            list.set((int) i, list.get((int) j));
            list.set((int) j, t);
        });
    }

    private static long[] cooked() {
        long[] t = new long[LEN];
        int n = 0;
        for (String line : Resources.text(GoRandom.class, "go-rng-cooked.txt").split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            if (n == LEN) throw new IllegalStateException("go-rng-cooked.txt: more than " + LEN + " values");
            t[n++] = Long.parseLong(s);
        }
        if (n != LEN) throw new IllegalStateException("go-rng-cooked.txt: " + n + " values, want " + LEN);
        return t;
    }
}
