package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.lthn.ml.transport.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ml consolidate against a real OpenSSH sshd: SFTP listing and copies, hostile names inert. */
class ConsolidateCommandIT {
    @TempDir
    Path tmp;

    @Test
    void pullsOverSftpAndMergesWithoutRunningAnyRemoteName() throws Exception {
        assumeTrue(OpenSshServer.available(), "needs /usr/sbin/sshd and root; skipping");
        try (OpenSshServer ssh = new OpenSshServer()) {
            Path remote = Files.createDirectories(ssh.dir.resolve("responses"));
            Files.writeString(remote.resolve("gold-1.jsonl"), "{\"idx\":2,\"r\":\"x\"}\n{\"idx\":1,\"r\":\"y\"}\n");
            Files.writeString(remote.resolve("gold-x;touch INJECTED;.jsonl"), "{\"idx\":3}\n");
            Files.writeString(remote.resolve("gold-$(touch INJECTED2).jsonl"), "{\"idx\":1,\"r\":\"dup\"}\n");
            CliRun r = CliRun.of(java.util.stream.Stream.of(
                            java.util.List.of("consolidate"),
                            ssh.m3Flags(),
                            java.util.List.of(
                                    "--remote",
                                    remote.toString(),
                                    "--output",
                                    tmp.resolve("out/responses").toString()))
                    .flatMap(java.util.List::stream)
                    .toArray(String[]::new));
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).contains("  Found 3 JSONL files on the host").contains("Merged: 3 unique examples");
            assertThat(Files.readString(tmp.resolve("out/gold-merged.jsonl")))
                    .isEqualTo(
                            "{\"idx\":1,\"r\":\"dup\"}\n{\"idx\":2,\"r\":\"x\"}\n{\"idx\":3}\n"); // sorted names: "$("
            // < "1"
            try (var files = Files.walk(ssh.dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("INJECTED"));
            }
        }
    }
}
