package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.testing.FakeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallCacheTest {
    @TempDir
    Path dir;

    @Test
    void temperatureZeroRepliesAreSharedAcrossRunsOthersAreNot() {
        FakeBackend real = FakeBackend.answering(p -> "reply to " + p);
        Path file = dir.resolve("cache/calls.jsonl");
        GenOpts zero = GenOpts.defaults().withTemperature(0);
        try (CallCache c = CallCache.open(file, "judge=a", 100)) {
            Backend b = c.wrap(real);
            assertThat(b.generate("x", zero)).isEqualTo("reply to x");
            assertThat(b.generate("x", zero)).isEqualTo("reply to x");
            assertThat(b.generate("x", GenOpts.defaults())).isEqualTo("reply to x"); // 0.1: not cached
            assertThat(c.hits()).isEqualTo(1);
        }
        assertThat(real.prompts()).hasSize(3 - 1);
        try (CallCache c = CallCache.open(file, "judge=a", 100)) { // the next run
            assertThat(c.wrap(real).generate("x", zero)).isEqualTo("reply to x");
            assertThat(c.hits()).isEqualTo(1);
        }
        try (CallCache c = CallCache.open(file, "judge=b", 100)) { // another judge: its own replies
            c.wrap(real).generate("x", zero);
            assertThat(c.hits()).isZero();
        }
    }

    @Test
    void theCacheIsBoundedOldestOutAndTheFileCompacted() throws Exception {
        FakeBackend real = FakeBackend.answering(p -> "r" + p);
        Path file = dir.resolve("calls.jsonl");
        GenOpts zero = GenOpts.defaults().withTemperature(0);
        try (CallCache c = CallCache.open(file, "s", 3)) {
            Backend b = c.wrap(real);
            for (int i = 0; i < 10; i++) b.generate("p" + i, zero);
            assertThat(c.size()).isEqualTo(3);
        }
        assertThat(Files.readAllLines(file).size()).isLessThanOrEqualTo(6);
        try (CallCache c = CallCache.open(file, "s", 3)) {
            Backend b = c.wrap(real);
            b.generate("p9", zero);
            b.generate("p0", zero);
            assertThat(c.hits()).isEqualTo(1); // p9 kept, p0 dropped long ago
        }
    }

    @Test
    void aLineCutShortByACrashIsIgnored() throws Exception {
        Path file = dir.resolve("calls.jsonl");
        Files.writeString(file, "{\"key\":\"abc\",\"reply\":\"x\"}\n{\"key\":\"de");
        try (CallCache c = CallCache.open(file, "s", 10)) {
            assertThat(c.size()).isEqualTo(1);
            c.wrap(FakeBackend.answering(p -> "y"))
                    .generate("new", GenOpts.defaults().withTemperature(0));
        }
        try (CallCache c = CallCache.open(file, "s", 10)) {
            assertThat(c.size()).isEqualTo(2); // the entry after the cut line was not glued to it
        }
    }
}
