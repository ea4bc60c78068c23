package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.testing.FakeBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpandTest {
    @TempDir
    Path dir;

    private final StringWriter log = new StringWriter();
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    private static List<Expand.Prompt> prompts(int n) {
        List<Expand.Prompt> out = new ArrayList<>();
        for (int i = 1; i <= n; i++)
            out.add(new Expand.Prompt("s" + i, i % 2 == 0 ? "" : "ethics", "prompt <" + i + ">"));
        return out;
    }

    private Expand.Result run(List<Expand.Prompt> prompts, int concurrency, String failOn) {
        FakeBackend model = FakeBackend.answering(p -> {
            asked.add(p);
            if (p.equals(failOn)) throw new MlIOException("upstream down", (java.io.IOException) null);
            return "réponse à " + p;
        });
        return Expand.run(
                model,
                prompts,
                new Expand.Config("m1", "w1", dir, false, 0, concurrency),
                null,
                null,
                new PrintWriter(log, true));
    }

    private List<String> lines() throws Exception {
        return Files.readAllLines(dir.resolve("expand-w1.jsonl"));
    }

    @Test
    void writesGoMlsLinesConcurrentlyEachPromptOnce() throws Exception {
        Expand.Result r = run(prompts(7), 3, null);
        assertThat(r).isEqualTo(new Expand.Result(7, 0, 7, 7, 0));
        List<String> lines = lines();
        assertThat(lines).hasSize(7);
        String one =
                lines.stream().filter(l -> l.contains("\"s1\"")).findFirst().orElseThrow();
        assertThat(one)
                .startsWith("{\"id\":\"s1\",\"domain\":\"ethics\",\"prompt\":\"prompt \\u003c1\\u003e\","
                        + "\"response\":\"réponse à prompt \\u003c1\\u003e\",\"model\":\"m1\",\"elapsed_seconds\":")
                .endsWith(",\"chars\":"
                        + "réponse à prompt <1>".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "}");
        assertThat(lines.stream().filter(l -> l.contains("\"s2\"")).findFirst().orElseThrow())
                .doesNotContain("\"domain\""); // omitempty, as go-ml
        assertThat(log.toString()).contains("expand complete: 7/7 prompts generated");
    }

    @Test
    void aRerunAfterACrashGeneratesOnlyWhatIsMissingAndRepairsTheTornLine() throws Exception {
        run(prompts(3), 1, null);
        // a crash while writing the fourth: a line without its newline
        Files.writeString(
                dir.resolve("expand-w1.jsonl"),
                "{\"id\":\"s4\",\"prompt\":\"prompt <4",
                java.nio.file.StandardOpenOption.APPEND);
        asked.clear();
        Expand.Result r = run(prompts(6), 2, null);
        assertThat(r.skipped()).isEqualTo(3);
        assertThat(r.generated()).isEqualTo(3);
        assertThat(asked).containsExactlyInAnyOrder("prompt <4>", "prompt <5>", "prompt <6>");
        List<String> lines = lines();
        assertThat(lines).hasSize(6).allMatch(l -> l.startsWith("{\"id\":\"s") && l.endsWith("}"));
        assertThat(lines.stream().map(l -> l.substring(7, l.indexOf('"', 7))).distinct())
                .hasSize(6);
    }

    @Test
    void aFailedPromptIsLeftForTheNextRunAndInfluxDownFallsBackToTheFiles() throws Exception {
        Expand.Result first = run(prompts(4), 2, "prompt <3>");
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.generated()).isEqualTo(3);
        asked.clear();
        Expand.Result second = Expand.run(
                FakeBackend.answering(p -> {
                    asked.add(p);
                    return "ok";
                }),
                prompts(4),
                new Expand.Config("m1", "w1", dir, false, 0, 2),
                () -> {
                    throw new MlIOException("influx down", (java.io.IOException) null);
                },
                null,
                new PrintWriter(log, true));
        assertThat(asked).containsExactly("prompt <3>");
        assertThat(second.skipped()).isEqualTo(3);
        assertThat(log.toString()).contains("could not check completed IDs in InfluxDB");
    }

    @Test
    void idsInfluxKnowsAreSkippedAndTheLimitCountsAfterSkipping() {
        Expand.Result r = Expand.run(
                FakeBackend.answering(p -> {
                    asked.add(p);
                    return "ok";
                }),
                prompts(5),
                new Expand.Config("m1", "w1", dir, false, 2, 1),
                () -> Set.of("s1", "s2"),
                null,
                new PrintWriter(log, true));
        assertThat(asked).containsExactly("prompt <3>", "prompt <4>");
        assertThat(r.skipped()).isEqualTo(2);
    }

    @Test
    void aDryRunListsGoMlsLinesAndWritesNothing() {
        Expand.Result r = Expand.run(
                FakeBackend.answering(p -> {
                    throw new AssertionError("no generation in a dry run");
                }),
                prompts(12),
                new Expand.Config("m1", "w1", dir, true, 0, 1),
                null,
                null,
                new PrintWriter(log, true));
        assertThat(r.attempted()).isZero();
        assertThat(log.toString())
                .contains("dry-run: would process 12 prompts with model m1 (worker: w1)")
                .contains("  s1 (domain: ethics)")
                .contains("  ... and 2 more");
        assertThat(Files.exists(dir.resolve("expand-w1.jsonl"))).isFalse();
    }

    @Test
    void pointsAreGoMlsL12AndL13WithoutAnEmptyTag() {
        var config = new Expand.Config("m1", "w 1".replace(" ", "-"), dir, false, 0, 1);
        var pts = Expand.points(config, new Expand.Prompt("s9", "", "p"), 4, 1.5, 10, 2, 8);
        assertThat(pts.get(0).toLine())
                .startsWith("expansion_gen,i=4,w=w-1 ")
                .doesNotContain(",d=")
                .contains("seed_id=\"s9\"")
                .contains("chars=10i")
                .contains("model=\"m1\"");
        assertThat(pts.get(1).toLine())
                .startsWith("expansion_progress,worker=w-1 completed=2i,target=8i,pct=25 "); // go-ml's field order
    }
}
