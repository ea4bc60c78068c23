package ai.lthn.ml.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's journal of undelivered results: replay, settling, compaction, torn lines. */
class ResultJournalTest {
    @TempDir
    Path dir;

    private static LemWorker.PendingResult result(int id, String text) {
        return new LemWorker.PendingResult(
                new LemWorker.Task(id, "gemma3", "prompt " + id, 0.3, 99),
                Json.object().put("response_text", text).put("worker_id", "w"));
    }

    @Test
    void replaysWhatWasKeptAndNotSettledInOrderAndCompacts() {
        try (ResultJournal j = ResultJournal.open(dir)) {
            assertThat(j.pending()).isEmpty();
            j.kept(result(1, "one"));
            j.kept(result(2, "two"));
            j.kept(result(3, "three"));
            j.settled(2);
        }
        try (ResultJournal j = ResultJournal.open(dir)) {
            assertThat(j.pending()).containsExactly(result(1, "one"), result(3, "three"));
        }
        assertThat(Files.exists(dir.resolve("pending-results.jsonl"))).isTrue();
        try (ResultJournal j = ResultJournal.open(dir)) { // compacted: two lines, same content
            assertThat(j.pending()).hasSize(2);
        }
    }

    @Test
    void aTornLastLineIsDroppedAndACorruptEarlierLineIsNamed() throws Exception {
        try (ResultJournal j = ResultJournal.open(dir)) {
            j.kept(result(5, "five"));
        }
        Path file = dir.resolve("pending-results.jsonl");
        Files.writeString(file, Files.readString(file) + "{\"kept\":{\"id\":6,\"model_na");
        try (ResultJournal j = ResultJournal.open(dir)) {
            assertThat(j.pending()).containsExactly(result(5, "five"));
        }
        Files.writeString(file, "not json\n" + Files.readString(file));
        assertThatThrownBy(() -> ResultJournal.open(dir))
                .isInstanceOf(MlIOException.class)
                .hasMessageContaining(file + ":1:");
    }
}
