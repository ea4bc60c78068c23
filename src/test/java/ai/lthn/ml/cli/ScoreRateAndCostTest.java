package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ml score} against a judge that rate-limits and bills: AIMD concurrency, cost, budgets. */
class ScoreRateAndCostTest {
    @TempDir
    Path dir;

    private Path responses(int n) throws Exception {
        return TestJudge.responses(dir.resolve("in.jsonl"), n);
    }

    @Test
    void aRateLimitingJudgeShrinksConcurrencyAndEveryResponseIsStillScored() throws Exception {
        Path in = responses(40);
        try (MockWebServer judge = new MockWebServer()) {
            TestJudge tj = TestJudge.start(judge, 4, 30);
            AtomicInteger calls = tj.calls;
            AtomicInteger max = tj.maxInFlight;
            Path out = dir.resolve("s.json");
            CliRun r = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--concurrency",
                    "8",
                    "--judge-url",
                    judge.url("/").toString(),
                    "--output",
                    out.toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.err()).contains("concurrency went down to");
            assertThat(max.get()).isLessThanOrEqualTo(8);
            assertThat(Files.readString(out).split("\"sovereignty\"", -1)).hasSize(42);
            assertThat(r.err()).contains("judge tokens: 40000 prompt + 4000 completion");
        }
    }

    @Test
    void aCostBudgetStopsTheRunAndResumeFinishesItWithoutRepeatingACall() throws Exception {
        Path in = responses(12);
        Path pricing = dir.resolve("prices.json");
        // 1000 prompt tokens at 1.0/M + 100 completion at 2.0/M = 0.0012 a call
        Files.writeString(pricing, "{\"judge-x\":{\"input_per_million\":1.0,\"output_per_million\":2.0}}");
        try (MockWebServer judge = new MockWebServer()) {
            TestJudge tj = TestJudge.start(judge, 0, 30);
            AtomicInteger calls = tj.calls;
            AtomicInteger max = tj.maxInFlight;
            String url = judge.url("/").toString();
            Path reference = dir.resolve("reference.json");
            CliRun full = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--concurrency",
                    "1",
                    "--judge-url",
                    url,
                    "--judge-model",
                    "judge-x",
                    "--pricing",
                    pricing.toString(),
                    "--output",
                    reference.toString());
            assertThat(full.status()).as(full.err()).isZero();
            assertThat(full.err()).contains("= 0.0144");
            assertThat(Files.readString(dir.resolve("reference.json.usage.json")))
                    .contains("\"prompt_tokens\" : 12000")
                    .contains("\"cost\" : 0.0144");
            Path html = dir.resolve("report.html");
            CliRun report = CliRun.of(
                    "report",
                    "--scores",
                    reference.toString(),
                    "--usage",
                    dir.resolve("reference.json.usage.json").toString(),
                    "--ledger",
                    dir.resolve("reference.json.ledger").toString(),
                    "--output",
                    html.toString());
            assertThat(report.status()).as(report.err()).isZero();
            assertThat(Files.readString(html))
                    .contains("cost 0.0144")
                    .contains("12 calls answered, 0 failed")
                    .contains("<td>0 / 12</td>");

            Path out = dir.resolve("s.json");
            calls.set(0);
            CliRun stopped = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--concurrency",
                    "1",
                    "--judge-url",
                    url,
                    "--judge-model",
                    "judge-x",
                    "--pricing",
                    pricing.toString(),
                    "--max-cost",
                    "0.006",
                    "--output",
                    out.toString());
            assertThat(stopped.status()).isEqualTo(1);
            assertThat(stopped.err()).contains("stopped: the --max-cost limit was reached");
            assertThat(Files.exists(out)).isFalse();
            int made = calls.get();
            assertThat(made).isBetween(6, 7); // the sixth call passes 0.006

            CliRun resumed = CliRun.of(
                    "score",
                    "--input",
                    in.toString(),
                    "--suites",
                    "semantic",
                    "--concurrency",
                    "1",
                    "--judge-url",
                    url,
                    "--judge-model",
                    "judge-x",
                    "--pricing",
                    pricing.toString(),
                    "--output",
                    out.toString(),
                    "--resume");
            assertThat(resumed.status()).as(resumed.err()).isZero();
            int ledgered = (int) Files.readAllLines(dir.resolve("s.json.ledger")).stream()
                    .filter(l -> l.contains("\"ok\":true"))
                    .count();
            assertThat(ledgered).isEqualTo(12);
            assertThat(calls.get()).as("no call made twice").isEqualTo(12);
            String a = Files.readString(reference).replaceAll("\"scored_at\": \"[^\"]*\"", "");
            String b = Files.readString(out).replaceAll("\"scored_at\": \"[^\"]*\"", "");
            assertThat(b).isEqualTo(a);
        }
    }

    @Test
    void temperatureZeroJudgeRepliesComeFromTheCacheOnTheNextRun() throws Exception {
        Path in = responses(5);
        Path cache = dir.resolve("cache.jsonl");
        try (MockWebServer judge = new MockWebServer()) {
            AtomicInteger calls = TestJudge.start(judge, 0, 30).calls;
            String url = judge.url("/").toString();
            String[] args = {
                "score",
                "--input",
                in.toString(),
                "--suites",
                "semantic",
                "--judge-url",
                url,
                "--judge-temperature",
                "0",
                "--cache",
                cache.toString(),
                "--output",
                dir.resolve("a.json").toString()
            };
            assertThat(CliRun.of(args).status()).isZero();
            assertThat(calls.get()).isEqualTo(5);
            CliRun again = CliRun.of(args);
            assertThat(again.status()).as(again.err()).isZero();
            assertThat(calls.get()).as("all five from the cache").isEqualTo(5);
            assertThat(again.err()).contains("5 judge replies from the cache");
            String[] noCache = java.util.Arrays.copyOf(args, args.length + 1);
            noCache[args.length] = "--no-cache";
            assertThat(CliRun.of(noCache).status()).isZero();
            assertThat(calls.get()).isEqualTo(10);
        }
    }
}
