package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlException;
import ai.lthn.ml.transport.RemoteTransport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsolidateTest {
    @TempDir
    Path root;

    /** A directory on this machine as the remote host, and a record of what was copied. */
    static final class DirTransport implements RemoteTransport {
        final List<String> extraNames = new ArrayList<>();
        final List<String> copied = new ArrayList<>();

        @Override
        public Result run(List<String> argv, Duration timeout) {
            throw new AssertionError("no command may run: consolidate lists and copies only");
        }

        @Override
        public List<String> list(String directory) {
            List<String> names = new ArrayList<>(extraNames);
            try (var s = Files.list(Path.of(directory))) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            names.sort(null);
            return names;
        }

        @Override
        public void copyFrom(String remote, Path local) {
            copied.add(remote);
            try {
                Files.copy(Path.of(remote), local, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void copyTo(Path local, String remote) {
            throw new AssertionError();
        }

        @Override
        public void close() {}
    }

    @Test
    void pullsMatchingFilesAndMergesByIdxFirstWinsSorted() throws Exception {
        Path host = Files.createDirectories(root.resolve("host"));
        Files.writeString(
                host.resolve("gold-a.jsonl"), "{\"idx\":3,\"r\":\"a3\"}\n{\"idx\":1,\"r\":\"a1\"}\r\n\nnot json\n");
        Files.writeString(
                host.resolve("gold-b.jsonl"),
                "{\"idx\":1,\"r\":\"b1 (loses)\"}\n{\"idx\":2,\"r\":\"b2\"}\n{\"r\":\"no idx\"}");
        Files.writeString(host.resolve("other.jsonl"), "{\"idx\":9}\n");
        DirTransport t = new DirTransport();
        t.extraNames.add("gold-../../evil.jsonl"); // a name no SFTP server should give: never a match
        t.extraNames.add("gold-\u001b[2J.jsonl"); // a terminal escape in a name: refused, shown escaped
        StringWriter out = new StringWriter();
        Path output = root.resolve("work/responses");
        Consolidate.Result r = Consolidate.run(
                t, new Consolidate.Config(host.toString(), "gold*.jsonl", output, null), new PrintWriter(out, true));
        assertThat(t.copied).containsExactly(host + "/gold-a.jsonl", host + "/gold-b.jsonl");
        assertThat(r.pulled()).isEqualTo(2);
        assertThat(r.unique()).isEqualTo(3);
        assertThat(r.skipped())
                .isEqualTo(3); // the blank line, "not json", the line without idx (go-ml counts all three)
        Path merged = root.resolve("work/gold-merged.jsonl");
        assertThat(r.merged()).isEqualTo(merged);
        assertThat(Files.readString(merged))
                .isEqualTo("{\"idx\":1,\"r\":\"a1\"}\n{\"idx\":2,\"r\":\"b2\"}\n{\"idx\":3,\"r\":\"a3\"}\n");
        assertThat(out.toString())
                .contains("Pulling responses from remote...")
                .contains("  Found 3 JSONL files on the host")
                .contains("warning: skipped a remote file with an unsafe name: gold-\\u001b[2J.jsonl")
                .contains("  gold-a.jsonl: 4 records")
                .contains("warning: gold-a.jsonl:4: no integer idx")
                .contains("warning: gold-b.jsonl:3: no integer idx")
                .contains("  Skipped 3 records without idx")
                .contains("Merged: 3 unique examples -> " + merged);
        assertThat(Files.exists(root.resolve("evil.jsonl"))).isFalse();
    }

    @Test
    void aListingFailureIsGoMlsErrorAndAFailedCopyOnlyWarns() throws Exception {
        DirTransport t = new DirTransport();
        assertThatThrownBy(() -> Consolidate.run(
                        t,
                        new Consolidate.Config(
                                root.resolve("missing").toString(), "gold*.jsonl", root.resolve("o"), null),
                        new PrintWriter(new StringWriter())))
                .isInstanceOf(MlException.class)
                .hasMessageStartingWith("list remote files: ");
    }

    @Test
    void idxMustBeAnIntegerInAnObject() {
        assertThat(Consolidate.idx("{\"idx\":7}".getBytes())).isEqualTo(7L);
        assertThat(Consolidate.idx("{\"idx\":7.5}".getBytes())).isNull();
        assertThat(Consolidate.idx("{\"idx\":\"7\"}".getBytes())).isNull();
        assertThat(Consolidate.idx("[1]".getBytes())).isNull();
        // read as Go reads bytes: a byte-order mark is a syntax error, zero bytes are not UTF-32
        assertThat(Consolidate.idx("\uFEFF{\"idx\":7}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isNull();
        assertThat(Consolidate.idx(new byte[] {0, 0, 0, '{', '}'})).isNull();
        assertThat(Consolidate.idx("".getBytes())).isNull();
    }

    @Test
    void aPatternWithASlashIsRefused() {
        assertThatThrownBy(() -> new Consolidate.Config("/r", "../*.jsonl", root, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
