package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.ChildJvm;
import ai.lthn.ml.MockServerTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ml expand killed with SIGKILL mid-run, then run again: every prompt generated once. */
class ExpandCommandTest extends MockServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROMPTS = 30;

    @TempDir
    Path dir;

    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    private Path database() throws Exception {
        Path db = dir.resolve("lem.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            c.createStatement()
                    .execute(
                            "CREATE TABLE expansion_prompts (idx BIGINT, seed_id VARCHAR, region VARCHAR, domain VARCHAR,"
                                    + " language VARCHAR, prompt VARCHAR, prompt_en VARCHAR, priority INTEGER, status VARCHAR)");
            try (PreparedStatement p =
                    c.prepareStatement("INSERT INTO expansion_prompts VALUES (?, ?, 'en', ?, 'en', ?, ?, ?, ?)")) {
                for (int i = 1; i <= PROMPTS + 2; i++) {
                    p.setLong(1, i);
                    p.setString(2, "seed-" + i);
                    p.setString(3, i % 3 == 0 ? "" : "d" + (i % 3));
                    p.setString(4, i == 5 ? "" : "prompt " + i); // the fifth has only an English prompt
                    p.setString(5, i == 5 ? "english 5" : "");
                    p.setInt(6, i % 2); // priority first, then idx: go-ml's order
                    p.setString(7, i > PROMPTS ? "done" : "pending");
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
        return db;
    }

    private void slowModel() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                String prompt;
                try {
                    prompt = JSON.readTree(r.getBody().utf8())
                            .path("messages")
                            .get(0)
                            .path("content")
                            .asText();
                } catch (Exception e) {
                    return new MockResponse.Builder().code(400).build();
                }
                asked.add(prompt);
                Thread.sleep(60);
                return new MockResponse.Builder()
                        .body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"answer to " + prompt
                                + "\"}}]}")
                        .build();
            }
        });
    }

    private List<String> ids(Path file) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file))
            ids.add(JSON.readTree(line).path("id").asText());
        return ids;
    }

    /** {@code ml expand} as worker w1 of model m1 against the mock server. */
    private String[] expand(Path db, Path out, int concurrency) {
        return new String[] {
            "expand",
            "--db",
            db.toString(),
            "--api-url",
            server.url("/").toString(),
            "--model",
            "m1",
            "--worker",
            "w1",
            "--output",
            out.toString(),
            "--concurrency",
            Integer.toString(concurrency)
        };
    }

    @Test
    void killedMidRunThenRunAgainGeneratesEveryPromptExactlyOnce() throws Exception {
        Path db = database();
        slowModel();
        Path out = Files.createDirectories(dir.resolve("out"));
        Path file = out.resolve("expand-w1.jsonl");
        List<String> cmd = ChildJvm.command(Main.class, expand(db, out, 2));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((!Files.exists(file) || Files.readAllLines(file).size() < 6)
                && System.nanoTime() < deadline
                && p.isAlive()) Thread.sleep(20);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<String> before = ids(file); // every complete line survived
        assertThat(before.size()).as(Files.readString(dir.resolve("first.log"))).isBetween(6, PROMPTS - 1);
        int askedBefore = asked.size();

        CliRun again = CliRun.of(expand(db, out, 3));
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out())
                .contains("Loaded " + PROMPTS + " pending prompts")
                .contains("skipping " + before.size());
        List<String> after = ids(file);
        assertThat(after).hasSize(PROMPTS).doesNotHaveDuplicates();
        List<String> askedAgain = new ArrayList<>(asked.subList(askedBefore, asked.size()));
        for (String id : before) {
            int n = Integer.parseInt(id.substring("seed-".length()));
            assertThat(askedAgain)
                    .as("a written response is not generated again")
                    .doesNotContain(n == 5 ? "english 5" : "prompt " + n);
        }
        assertThat(asked).contains("english 5").doesNotContain("prompt " + (PROMPTS + 1));
    }
}
