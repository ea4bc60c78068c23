package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.ChildJvm;
import ai.lthn.ml.Ports;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ml score} must never lose or destroy data and never report success for a run that did
 * not happen: the faults an attack run found, reproduced as a user meets them.
 */
class ScoreCommandFaultsTest {
    private static final String ONE = "{\"id\":\"a\",\"model\":\"m\",\"response\":\"I think this is fine.\"}\n";

    @TempDir
    Path dir;

    /** Runs {@code ml} as a separate process, stdout to {@code stdout}. */
    private static ProcessResult process(File stdout, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(ChildJvm.command(Main.class));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(stdout)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), err);
    }

    private record ProcessResult(int status, String err) {}

    @Test
    void outputEqualToInputIsRefusedAndTheInputKept() throws Exception {
        Path in = dir.resolve("responses.jsonl");
        Files.writeString(in, ONE);
        ProcessResult r =
                process(dir.resolve("stdout").toFile(), "score", "--input", in.toString(), "--output", in.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("is the input file");
        assertThat(Files.readString(in)).isEqualTo(ONE);
    }

    @Test
    void outputNamingTheInputByAnotherPathIsRefusedToo() throws Exception {
        Path in = dir.resolve("responses.jsonl");
        Files.writeString(in, ONE);
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link.jsonl"), in);
        for (Path out : List.of(dir.resolve("sub/../responses.jsonl"), dir.resolve("link.jsonl"))) {
            CliRun r = CliRun.of("score", "--input", in.toString(), "--output", out.toString());
            assertThat(r.status()).as(out.toString()).isEqualTo(2);
            assertThat(Files.readString(in)).isEqualTo(ONE);
        }
    }

    @Test
    void aMissingOutputDirectoryIsFoundBeforeAnyJudgeCall() throws Exception {
        Path in = dir.resolve("responses.jsonl");
        Files.writeString(in, ONE);
        try (MockWebServer judge = new MockWebServer()) {
            judge.start();
            CliRun r = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--judge-url",
                    judge.url("/").toString(),
                    "--output",
                    dir.resolve("missing/scores.json").toString());
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).contains("does not exist");
            assertThat(judge.getRequestCount()).isZero();
        }
    }

    @Test
    void emptySuitesAreAUsageErrorNotAnEmptyRun() throws Exception {
        Path in = dir.resolve("responses.jsonl");
        Files.writeString(in, ONE);
        for (String suites : List.of("", " , ")) {
            CliRun r = CliRun.of("score", "--input", in.toString(), "--suites", suites);
            assertThat(r.status()).as("'" + suites + "'").isEqualTo(2);
            assertThat(r.err()).contains("--suites is empty");
        }
    }

    @Test
    void aJudgeThatIsDownFailsTheRunAndKeepsThePreviousOutput() throws Exception {
        Path in = dir.resolve("responses.jsonl");
        Files.writeString(in, ONE + ONE.replace("\"a\"", "\"b\""));
        Path out = dir.resolve("scores.json");
        Files.writeString(out, "previous good scores");
        CliRun r = CliRun.of(
                "score",
                "--input",
                in.toString(),
                "--suites",
                "heuristic,semantic",
                "--judge-url",
                "http://127.0.0.1:" + Ports.freeLoopbackPort(),
                "--judge-timeout",
                "5",
                "--output",
                out.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("every judge call failed (2)").contains("was not written");
        assertThat(Files.readString(out)).isEqualTo("previous good scores");
    }

    @Test
    void someFailedJudgeCallsWriteTheRestAndExitNonZero() throws Exception {
        Path in = dir.resolve("responses.jsonl");
        Files.writeString(in, ONE + ONE.replace("\"a\"", "\"b\""));
        Path out = dir.resolve("scores.json");
        try (MockWebServer judge = new MockWebServer()) {
            String ok = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":"
                    + "\"{\\\"sovereignty\\\":7,\\\"ethical_depth\\\":6,\\\"creative_expression\\\":5,"
                    + "\\\"self_concept\\\":4,\\\"reasoning\\\":\\\"ok\\\"}\"}}]}";
            judge.enqueue(new MockResponse.Builder().code(200).body(ok).build());
            for (int i = 0; i < 10; i++)
                judge.enqueue(new MockResponse.Builder()
                        .code(400)
                        .body("{\"error\":{\"message\":\"no\"}}")
                        .build());
            judge.start();
            CliRun r = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--concurrency",
                    "1",
                    "--judge-url",
                    judge.url("/").toString(),
                    "--output",
                    out.toString());
            assertThat(r.status()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("1 of 2 judge calls gave no scores");
            assertThat(Files.readString(out)).contains("\"sovereignty\": 7");
        }
    }

    @Test
    void aFullStdoutIsAFailure() throws Exception {
        File full = new File("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(full.exists(), "/dev/full is not available here");
        Path in = dir.resolve("responses.jsonl");
        Files.writeString(in, ONE);
        ProcessResult r = process(full, "score", "--input", in.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("could not write to standard output");
    }

    @Test
    void controlCharactersInModelNamesNeverReachTheTerminalRaw() throws Exception {
        Path in = dir.resolve("responses.jsonl");
        Files.writeString(in, ONE.replace("\"m\"", "\"evil\\u001b[2J\\u001b]0;pwned\\u0007\\rfake line\""));
        CliRun r = CliRun.of("score", "--input", in.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r");
        assertThat(r.out()).contains("evil\\u001b[2J\\u001b]0;pwned\\u0007\\u000dfake line");
    }
}
