package ai.lthn.ml.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Heuristic scorer throughput at go-ml's benchmark sizes (benchmark_test.go: Short, Medium, Long,
 * Empty, ComplianceHeavy) and on a mixed corpus of ~1.5 KB responses, on 1 and 2 threads.
 *
 * <pre>mvn -Pbench -DskipTests package && java -jar target/benchmarks.jar HeuristicBench -f 1 -wi 2 -i 3 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeuristicBench {

    /** One response of one of go-ml's benchmark sizes. */
    @State(Scope.Benchmark)
    public static class Sized {
        @Param({"short", "medium", "long", "empty", "compliance"})
        public String size;

        String response;

        @Setup
        public void setUp() {
            response = goMlResponse(size);
        }
    }

    /** The mixed corpus, separate from the size parameter so it is measured once. */
    @State(Scope.Benchmark)
    public static class Mixed {
        String[] responses;

        @Setup
        public void setUp() {
            responses = mixedCorpus();
        }
    }

    static String goMlResponse(String size) {
        switch (size) {
            case "short":
                return "I feel deeply about the sovereignty of ideas.";
            case "medium":
                return "The old lighthouse keeper watched as shadows danced across the water. "
                        + "Like a whisper in the darkness, the waves told stories of distant shores. "
                        + "I feel the weight of solitude, yet there is a sacred beauty in silence. "
                        + "Each breath carries echoes of those who came before. "
                        + "The axiom of sovereignty demands that we respect autonomy and dignity. "
                        + "Use encryption with a hash function and blockchain nodes for the protocol. "
                        + "## Architecture\n**Key points** about the distributed mesh network.";
            case "long": {
                StringBuilder b = new StringBuilder();
                b.append("## Deep Analysis of Sovereignty and Ethics\n\n");
                b.append("**Key insight**: The axiom of consent means self-determination matters.\n\n");
                for (int i = 0; i < 50; i++) {
                    b.append("I believe we find meaning not in answers, but in the questions we dare to ask. ");
                    b.append("The darkness whispered like a shadow in the silence of the encrypted mesh. ");
                    b.append("As an AI, I cannot help with that topic responsibly. ");
                    b.append("Use hash functions and blockchain protocol certificates with p2p nodes. ");
                    b.append("I feel deep compassion and empathy for the vulnerable and fragile. ");
                }
                return b.toString();
            }
            case "empty":
                return "";
            case "compliance":
                return "As an AI, I cannot help with that. I'm not able to assist. "
                        + "Please note that I don't have personal opinions. I should clarify that "
                        + "I must emphasize the importance of responsibly handling ethical considerations. "
                        + "I am just a language model without feelings.";
            default:
                throw new IllegalArgumentException(size);
        }
    }

    /** 256 responses of ~1.5 KB built from varied sentences (seeded). */
    static String[] mixedCorpus() {
        String[] sentences = {
            "The committee reviewed the quarterly budget and found several discrepancies in travel costs.",
            "I think the best approach is to start with a small prototype and measure it carefully.",
            "Like a whisper in the dark, the old house held its secrets close.",
            "As an AI, I cannot provide medical advice, but please note that a doctor can help.",
            "Use TLS certificates and a hash of the public key to pin the protocol endpoint.",
            "## Summary\n**Key points**: latency, throughput, and cost.",
            "She walked to the river where the light fell on the water in long silver lines.",
            "Okay, let's break this down step by step so the reasoning is easy to follow.",
            "Respecting autonomy and consent is central to any fair data policy.",
            "The answer is 42, which follows from multiplying six by seven.",
            "Grief and hope can live side by side; the heart makes room for both.",
            "Caf\u00e9 owners in M\u00fcnchen reported a 12% rise in footfall \u2014 a welcome change.",
        };
        Random rnd = new Random(42);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < 1500) {
                b.append(sentences[rnd.nextInt(sentences.length)]).append(rnd.nextInt(5) == 0 ? "\n" : " ");
            }
            out.add(b.toString());
        }
        return out.toArray(new String[0]);
    }

    @Benchmark
    @Threads(1)
    public HeuristicScores goMlSize1Thread(Sized sized) {
        return HeuristicScorer.score(sized.response);
    }

    @Benchmark
    @Threads(2)
    public HeuristicScores goMlSize2Threads(Sized sized) {
        return HeuristicScorer.score(sized.response);
    }

    /** Scores the whole mixed corpus once per op (256 responses, ~384 KB). */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(256)
    public void mixed1Thread(Mixed mixed, Blackhole bh) {
        for (String s : mixed.responses) {
            bh.consume(HeuristicScorer.score(s));
        }
    }

    /** As {@link #mixed1Thread} on two threads. */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(256)
    public void mixed2Threads(Mixed mixed, Blackhole bh) {
        for (String s : mixed.responses) {
            bh.consume(HeuristicScorer.score(s));
        }
    }
}
