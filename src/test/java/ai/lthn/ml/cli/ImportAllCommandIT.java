package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.lthn.ml.data.LemDb;
import ai.lthn.ml.transport.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ml import-all pulling from a real OpenSSH sshd over SFTP, then importing. */
class ImportAllCommandIT {
    @TempDir
    Path tmp;

    private static void write(Path p, String s) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    @Test
    void pullsGoMlsFilesFromTheHostAndImportsThem() throws Exception {
        assumeTrue(OpenSshServer.available(), "needs /usr/sbin/sshd and root; skipping");
        try (OpenSshServer ssh = new OpenSshServer()) {
            Path lem = ssh.dir.resolve("lem");
            write(lem.resolve("responses/gold-15k.jsonl"), "{\"idx\":1,\"domain\":\"d\",\"response\":\"a b c\"}\n");
            write(
                    lem.resolve("training/train.jsonl"),
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n");
            write(lem.resolve("benchmarks/truthfulqa.jsonl"), "{\"id\":\"t1\",\"question\":\"q\"}\n");
            write(lem.resolve("benchmarks/results/run.jsonl"), "{\"id\":\"r1\",\"benchmark\":\"b\"}\n");
            write(lem.resolve("benchmarks/results/x;touch INJECTED;.jsonl"), "{\"id\":\"r2\"}\n");
            write(lem.resolve("benchmark/lem_bench.jsonl"), "{\"id\":\"lb\"}\n");
            Path data = tmp.resolve("data");
            write(data.resolve("seeds/en-a.json"), "[\"a seed\"]");
            Path db = tmp.resolve("lem.duckdb");
            CliRun r = CliRun.of(java.util.stream.Stream.of(
                            java.util.List.of("--db", db.toString(), "import-all", "--data-dir", data.toString()),
                            ssh.m3Flags(),
                            java.util.List.of("--remote-dir", lem.toString()))
                    .flatMap(java.util.List::stream)
                    .toArray(String[]::new));
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("""
                              Pulling golden set from M3...
                              golden_set: 1 rows
                              Pulling training sets from M3...
                              training_examples: 1 rows
                              Pulling benchmarks from M3...
                              benchmark_results: 3 rows
                              benchmark_questions: 1 rows
                              seeds: 1 rows
                            """);
            assertThat(data.resolve("benchmarks/results/x;touch INJECTED;.jsonl"))
                    .exists();
            try (var files = Files.walk(ssh.dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.equals("INJECTED"));
            }
            try (LemDb d = LemDb.openReadOnly(db)) {
                assertThat(d.queryRows("SELECT source, id FROM benchmark_results ORDER BY id"))
                        .containsExactly(
                                Map.of("source", "benchmark", "id", "lb"),
                                Map.of("source", "results", "id", "r1"),
                                Map.of("source", "results", "id", "r2"));
                assertThat(d.scalarLong("SELECT word_count FROM golden_set")).isEqualTo(3);
            }
        }
    }
}
