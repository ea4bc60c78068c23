package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.ChildJvm;
import ai.lthn.ml.MlIOException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes against real process deaths: kill -9 and SIGTERM in the middle of a write. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private Process startWriter(Path target) throws IOException {
        Process p = new ProcessBuilder(ChildJvm.command(AtomicWriteMain.class, target.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("writing"); // the temporary file exists and holds half
        return p;
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
    }

    @Test
    void killedWithSigkillMidWriteTheOldFileIsWholeAndTheNextWriteRemovesTheOrphan() throws Exception {
        Path target = dir.resolve("scores.json");
        Files.writeString(target, "old");
        Process p = startWriter(target);
        p.destroyForcibly(); // SIGKILL: no hook runs
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(temporaries()).hasSize(1); // the orphan a SIGKILL leaves

        AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void sigtermMidWriteLeavesTheOldFileAndNoTemporary() throws Exception {
        Path target = dir.resolve("scores.json");
        Files.writeString(target, "old");
        Process p = startWriter(target);
        p.destroy(); // SIGTERM: shutdown hooks run
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void aLiveWritersTemporaryIsLeftAlone() throws Exception {
        Path target = dir.resolve("scores.json");
        Process p = startWriter(target);
        try {
            AtomicFiles.write(target, out -> out.write("mine".getBytes(StandardCharsets.UTF_8)));
            assertThat(temporaries()).hasSize(1); // the other process's write in flight
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporary() throws Exception {
        Path target = dir.resolve("scores.json");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
                    out.write("partial".getBytes(StandardCharsets.UTF_8));
                    throw new IOException("disk on fire");
                }))
                .isInstanceOf(MlIOException.class)
                .hasMessageContaining("scores.json")
                .hasMessageContaining("disk on fire");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void writtenFilesAreMode644AsGoMlWritesThem() throws Exception {
        Path target = dir.resolve("out.json");
        AtomicFiles.write(target, out -> out.write('x'));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void checkWritableNamesAMissingDirectoryBeforeAnyWork() {
        assertThatThrownBy(() -> AtomicFiles.checkWritable(dir.resolve("no/such/dir/out.json")))
                .isInstanceOf(MlIOException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> AtomicFiles.checkWritable(dir)).hasMessageContaining("is a directory");
    }
}
