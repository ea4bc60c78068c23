package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with {@code kill -9} half way and resumed with {@code --resume} redoes no
 * completed judge call and writes the same file as a run never stopped (its timestamp aside).
 */
class ScoreResumeTest {
    private static final int RESPONSES = 30;

    @TempDir
    Path dir;

    private static String withoutTimestamp(Path file) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(file))
            if (!line.contains("\"scored_at\"")) sb.append(line).append('\n');
        return sb.toString();
    }

    private static int completeLines(Path file) throws Exception {
        if (!Files.exists(file)) return 0;
        byte[] b = Files.readAllBytes(file);
        int n = 0;
        for (byte x : b) if (x == '\n') n++;
        return n;
    }

    @Test
    void aRunKilledWithSigkillResumesWithoutRedoingCallsAndGivesTheSameFile() throws Exception {
        Path in = TestJudge.responses(dir.resolve("responses.jsonl"), RESPONSES);
        try (MockWebServer judge = new MockWebServer()) {
            AtomicInteger calls = TestJudge.start(judge, 0, 60).calls;
            String url = judge.url("/").toString();
            Path reference = dir.resolve("reference.json");
            CliRun ref = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "heuristic,semantic",
                    "--judge-url",
                    url,
                    "--concurrency",
                    "2",
                    "--output",
                    reference.toString());
            assertThat(ref.status()).as(ref.err()).isZero();
            assertThat(calls.get()).isEqualTo(RESPONSES);

            Path out = dir.resolve("scores.json");
            Path ledger = dir.resolve("scores.json.ledger");
            List<String> cmd = new ArrayList<>(ChildJvm.command(
                    Main.class,
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "heuristic,semantic",
                    "--judge-url",
                    url,
                    "--concurrency",
                    "2",
                    "--output",
                    out.toString()));
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completeLines(ledger) < 1 + RESPONSES / 3 && System.nanoTime() < deadline) Thread.sleep(10);
            p.destroyForcibly(); // kill -9, mid-run
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.exists(out))
                    .as("killed before the output was written")
                    .isFalse();
            int completed = completeLines(ledger) - 1; // the header
            assertThat(completed).isBetween(RESPONSES / 3, RESPONSES - 1);

            int before = calls.get();
            CliRun resumed = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "heuristic,semantic",
                    "--judge-url",
                    url,
                    "--concurrency",
                    "2",
                    "--output",
                    out.toString(),
                    "--resume");
            assertThat(resumed.status()).as(resumed.err()).isZero();
            assertThat(calls.get() - before).as("calls made by the resumed run").isEqualTo(RESPONSES - completed);
            assertThat(resumed.err()).contains(completed + " judge calls reused from the ledger");
            assertThat(withoutTimestamp(out)).isEqualTo(withoutTimestamp(reference));
        }
    }

    @Test
    void aLedgerFromAnotherJudgeIsRefusedOnResume() throws Exception {
        Path in = dir.resolve("one.jsonl");
        Files.writeString(in, "{\"id\":\"a\",\"model\":\"m\",\"prompt\":\"p\",\"response\":\"r\"}\n");
        try (MockWebServer judge = new MockWebServer()) {
            TestJudge.start(judge, 0, 0);
            Path out = dir.resolve("s.json");
            String url = judge.url("/").toString();
            assertThat(CliRun.of(
                                    "score",
                                    "--input",
                                    in.toString(),
                                    "--suites",
                                    "semantic",
                                    "--judge-url",
                                    url,
                                    "--output",
                                    out.toString())
                            .status())
                    .isZero();
            CliRun other = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--judge-url",
                    url,
                    "--judge-model",
                    "another",
                    "--output",
                    out.toString(),
                    "--resume");
            assertThat(other.status()).isEqualTo(1);
            assertThat(other.err()).contains("the ledger was written for");
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("\"sovereignty\"");
        }
    }
}
