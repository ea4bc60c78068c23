package ai.lthn.ml.backend.nativeengine;

import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.TokenStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resident memory over many native generations (run, don't assert): 10,000 generations of 64
 * tokens on one model from 4 threads, half of them cancelled after 8 tokens, with the process's
 * VmRSS and the test engine's live native objects sampled every 1,000. Run with the test class
 * path: {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * ai.lthn.ml.backend.nativeengine.NativeSoak 10000}.
 */
public final class NativeSoak {
    private NativeSoak() {}

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String why = NativeLibrary.load("lthn_test");
        if (why != null) throw new IllegalStateException(why);
        Path spec = Files.createTempFile("soak", ".spec");
        Files.writeString(spec, "tokens=64\n");
        GenerateConfig config = GenerateConfig.builder().maxTokens(64).build();
        AtomicLong tokens = new AtomicLong();
        try (NativeTextModel model = NativeTextModel.load(spec, 0, 0)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            System.out.printf("%8s %10s %12s %8s%n", "done", "VmRSS kB", "live native", "heap MB");
            sample(0);
            for (int batch = 0; batch < total / 1000; batch++) {
                Future<?>[] fs = new Future<?>[1000];
                for (int i = 0; i < 1000; i++) {
                    int n = batch * 1000 + i;
                    fs[i] = pool.submit(() -> {
                        try (TokenStream s = model.generate("prompt " + n, config)) {
                            int k = 0;
                            while (s.hasNext()) {
                                s.next();
                                tokens.incrementAndGet();
                                if (n % 2 == 0 && ++k == 8) break; // cancelled by close()
                            }
                        }
                    });
                }
                for (Future<?> f : fs) f.get();
                sample((batch + 1) * 1000);
            }
            pool.shutdown();
        }
        System.out.printf(
                "tokens %d; live native objects after close: %d%n", tokens.get(), NativeTextModel.liveNativeObjects());
        Files.delete(spec);
    }

    private static void sample(int done) throws Exception {
        System.gc();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .findFirst()
                .orElse("VmRSS: ? kB")
                .replaceAll("[^0-9?]", "");
        Runtime r = Runtime.getRuntime();
        System.out.printf(
                "%8d %10s %12d %8d%n",
                done, rss, NativeTextModel.liveNativeObjects(), (r.totalMemory() - r.freeMemory()) >> 20);
    }
}
