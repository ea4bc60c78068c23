package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.agent.CheckpointDiscovery.ScoredLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDiscoveryTest {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private void file(String rel) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
    }

    private List<Checkpoint> discover(String filter) {
        return new CheckpointDiscovery(new LocalProcessTransport(), root.toString(), filter, T).discover();
    }

    @Test
    void findsFlatAndNestedLayoutsLikeGoMlsGlobsInOneRoundTrip() throws IOException {
        file("adapters-27b-reasoning/0001000_adapters.safetensors");
        file("adapters-27b-reasoning/0000500_adapters.safetensors");
        file("adapters-27b-reasoning/adapters.safetensors"); // no digits: skipped
        file("adapters-27b-reasoning/adapter_config.json");
        file("adapters-27b-reasoning/.0000700_adapters.safetensors"); // the glob skips dot files
        // nested: once a gemma-3-* entry exists the directory's own files are not read
        file("adapters-15k/gemma-3-1b-creative/0000200_adapters.safetensors");
        file("adapters-15k/gemma-3-12b/0000100_adapters.safetensors");
        file("adapters-15k/0000999_adapters.safetensors");
        file("adapters-15k/other/0000300_adapters.safetensors");
        file("not-adapters/0000100_adapters.safetensors");
        file("adapters-x;touch INJECTED;/0000010_adapters.safetensors");
        file("adapters-$(touch INJECTED2)/0000020_adapters.safetensors");
        LocalProcessTransport transport = new LocalProcessTransport();

        List<Checkpoint> found = new CheckpointDiscovery(transport, root.toString(), "", T).discover();

        assertThat(transport.commands).hasSize(1);
        assertThat(found)
                .extracting(Checkpoint::dirname, Checkpoint::filename, Checkpoint::label)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "adapters-$(touch INJECTED2)", "0000020_adapters.safetensors", "$(touch IN @0000020"),
                        org.assertj.core.groups.Tuple.tuple(
                                "adapters-15k/gemma-3-12b", "0000100_adapters.safetensors", "G12 @0000100"),
                        org.assertj.core.groups.Tuple.tuple(
                                "adapters-15k/gemma-3-1b-creative",
                                "0000200_adapters.safetensors",
                                "G1-creative @0000200"),
                        org.assertj.core.groups.Tuple.tuple(
                                "adapters-27b-reasoning", "0000500_adapters.safetensors", "G27-reasoning @0000500"),
                        org.assertj.core.groups.Tuple.tuple(
                                "adapters-27b-reasoning", "0001000_adapters.safetensors", "G27-reasoning @0001000"),
                        org.assertj.core.groups.Tuple.tuple(
                                "adapters-x;touch INJECTED;", "0000010_adapters.safetensors", "x;touch IN @0000010"));
        Checkpoint c = found.get(4);
        assertThat(c.iteration()).isEqualTo(1000);
        assertThat(c.modelTag()).isEqualTo("gemma-3-27b");
        assertThat(c.runId()).isEqualTo("27b-reasoning-capability-auto");
        assertThat(c.remoteDir()).isEqualTo(root + "/adapters-27b-reasoning");
        assertThat(found.get(2).runId()).isEqualTo("15k-gemma-3-1b-creative-capability-auto");
        assertThat(root.resolve("INJECTED")).doesNotExist();
        assertThat(root.resolve("INJECTED2")).doesNotExist();
    }

    @Test
    void filterIsALiteralPrefixAfterAdapters() throws IOException {
        file("adapters-27b-a/0000001_adapters.safetensors");
        file("adapters-1b-a/0000001_adapters.safetensors");
        file("adapters-2*/0000001_adapters.safetensors");
        assertThat(discover("27b")).extracting(Checkpoint::dirname).containsExactly("adapters-27b-a");
        assertThat(discover("2*")).extracting(Checkpoint::dirname).containsExactly("adapters-2*");
    }

    @Test
    void emptyBaseIsEmptyAndMissingBaseIsAnError() {
        assertThat(discover("")).isEmpty();
        assertThatThrownBy(() -> new CheckpointDiscovery(
                                new LocalProcessTransport(),
                                root.resolve("missing").toString(),
                                "",
                                T)
                        .discover())
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("list adapter dirs under " + root.resolve("missing"));
    }

    @Test
    void unscoredSortsByDirnameThenIterationAndDropsScored() {
        Checkpoint a2 = cp("adapters-b", 2000, "L @2000");
        Checkpoint a1 = cp("adapters-b", 100, "L @100");
        Checkpoint b = cp("adapters-a", 5000, "L @5000");
        List<Checkpoint> all = List.of(a2, a1, b);
        assertThat(CheckpointDiscovery.unscored(all, null)).containsExactly(b, a1, a2);
        assertThat(CheckpointDiscovery.unscored(all, Set.of(new ScoredLabel(b.runId(), b.label()))))
                .containsExactly(a1, a2);
        assertThat(CheckpointDiscovery.unscored(all, Set.of(new ScoredLabel("other", b.label()))))
                .containsExactly(b, a1, a2);
    }

    private static Checkpoint cp(String dir, long iter, String label) {
        return new Checkpoint("/base/" + dir, iter + "_adapters.safetensors", dir, iter, "t", label, dir + "-run");
    }
}
