package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.internal.GoUtf8;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * {@code ml score}'s line path on mutated lines (Jazzer): {@link LineDecoder} either declines a
 * line or reads it as Go does ({@link GoJsonView}) and as data binding does wherever data binding
 * has Go's rules; the response bytes it hands the scorer are valid UTF-8 and score as the string
 * path scores them; a declined line is decided by data binding, which fails only with {@link
 * InvalidInputException}. Anything else thrown is a finding. Seeds: {@code
 * ScoreLineFuzzTestInputs/scoreLine/}. Under {@code mvn verify} it fuzzes for a bounded time
 * (surefire execution {@code fuzz}); elsewhere it replays the seeds.
 */
class ScoreLineFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void scoreLine(byte[] line) throws IOException {
        LineDecoder d = new LineDecoder();
        if (!d.decode(line, 0, line.length)) {
            try {
                ResponseReader.bind(line, 0, line.length, "fuzz.jsonl", 1);
            } catch (InvalidInputException expected) {
                // refused with file:line, as the reader refuses it
            }
            return;
        }
        Response fast = d.response();
        GoJsonView go = GoJsonView.of(line);
        assertThat(fast).isEqualTo(go.response());
        if (!go.dataBindingDiffers()) {
            assertThat(fast).isEqualTo(ResponseReader.bind(line, 0, line.length, "fuzz.jsonl", 1));
        }
        d.utf8(LineDecoder.RESPONSE);
        assertThat(GoUtf8.isValid(d.bytes(), d.bytesFrom(), d.bytesTo())).isTrue();
        assertThat(HeuristicScorer.score(d.bytes(), d.bytesFrom(), d.bytesTo(), new HeuristicScorer.Scratch()))
                .isEqualTo(HeuristicScorer.score(fast.response()));
    }
}
