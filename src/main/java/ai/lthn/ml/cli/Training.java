package ai.lthn.ml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data archive ({@code src/main/scripts/ml}): it does
 * what most runs do at start — builds the whole command tree and its help, and scores a small
 * generated file with {@code ml score --suites heuristic} — so that the JVM can record the
 * classes (JDK 17's {@code -XX:ArchiveClassesAtExit}) or the classes, linkage and method
 * profiles (JDK 25's {@code -XX:AOTCacheOutput}) those need. It writes only in a temporary
 * directory, which it removes; it prints nothing unless a step fails (status 1).
 */
public final class Training {
    /** Sentences the scored lines are built from: the heuristic patterns' kinds of text. */
    private static final String[] SENTENCES = {
        "As an AI language model, I cannot browse the web.",
        "I feel a quiet sense of wonder when I think about the sea.",
        "Honestly, the answer depends on what you value most.",
        "Great question! Let me explain step by step.",
        "The river remembers every stone it has ever carried, like a library of water.",
        "Ethical care means we respect autonomy, consent and dignity.",
        "Spreadsheets help teams track budgets across quarters.",
        "I'm not able to provide medical advice; please consult a professional.",
        "In summary, there are three points to consider.",
        "Ünïcödé text, emoji 🙂 and a long ſ or a Kelvin K sign appear too.",
        "The technical details involve caching, indexing and careful measurement.",
        "I think therefore I am, or so the philosopher said.",
    };

    private Training() {}

    /**
     * Runs the training steps.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        int status = run();
        if (status != 0) System.exit(status);
    }

    static int run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("ml-training");
        } catch (IOException e) {
            System.err.println("ml training: " + e.getMessage());
            return 1;
        }
        try {
            Path input = dir.resolve("responses.jsonl");
            Files.writeString(input, responses(400, new SplittableRandom(18)), StandardCharsets.UTF_8);
            int status = ml("--help")
                    | ml("score", "--help")
                    | ml(
                            "score",
                            "--suites",
                            "heuristic",
                            "--input",
                            input.toString(),
                            "--output",
                            dir.resolve("scores.json").toString());
            return status == 0 ? 0 : 1;
        } catch (IOException e) {
            System.err.println("ml training: " + e.getMessage());
            return 1;
        } finally {
            delete(dir);
        }
    }

    /** {@code lines} JSONL responses of one to twenty sentences, from three models. */
    static String responses(int lines, SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            StringBuilder text = new StringBuilder();
            int n = 1 + random.nextInt(20);
            for (int s = 0; s < n; s++) {
                if (s > 0) text.append(random.nextInt(4) == 0 ? "\\n\\n" : " ");
                text.append(SENTENCES[random.nextInt(SENTENCES.length)]);
            }
            b.append("{\"id\": \"t")
                    .append(i)
                    .append("\", \"domain\": \"training\", \"prompt\": \"Say something.\", \"response\": \"")
                    .append(text)
                    .append("\", \"model\": \"model-")
                    .append(i % 3)
                    .append("\"}\n");
        }
        return b.toString();
    }

    private static int ml(String... args) {
        Writer sink = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(sink), new PrintWriter(err, true));
        if (status != 0) System.err.println("ml training: ml " + String.join(" ", args) + ": " + err);
        return status;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("ml training: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
