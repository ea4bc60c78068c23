package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Columns give back, on every read, scores equal to the ones appended. */
class CompactScoresTest {
    @Test
    void everyScoreReadsBackEqualAcrossChunks() {
        Random rnd = new Random(5L);
        String[] ids = {"p1", "", "caf\u00e9-\u00ff", "\u017F-wide", "lone-\ud800", "😀", "x".repeat(300)};
        List<PromptScore> want = new ArrayList<>();
        CompactScores columns = new CompactScores("m");
        for (int i = 0; i < 10_000; i++) {
            int[] n = new int[8];
            for (int k = 0; k < 8; k++) n[k] = rnd.nextInt(k == 2 ? 200 : 12) - (k == 0 ? 1 : 0);
            HeuristicScores small = new HeuristicScores(
                    n[0],
                    n[1],
                    n[2],
                    n[3],
                    n[4],
                    n[5],
                    n[6],
                    n[7],
                    HeuristicScores.lek(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]));
            HeuristicScores h = rnd.nextInt(10) == 0
                    ? null
                    : rnd.nextBoolean()
                            ? small
                            : new HeuristicScores(
                                    rnd.nextInt(1000),
                                    rnd.nextInt(2),
                                    rnd.nextInt(),
                                    rnd.nextInt(9),
                                    rnd.nextInt(9),
                                    rnd.nextInt(11),
                                    rnd.nextInt(11),
                                    rnd.nextInt(2),
                                    rnd.nextDouble() * 100 - 50);
            StandardScores exact = rnd.nextInt(5) == 0
                    ? StandardScores.exact(ExactMatch.score("the answer is " + i, String.valueOf(i % 7)))
                    : null;
            PromptScore p = new PromptScore(ids[rnd.nextInt(ids.length)] + i, "m", h, null, null, exact);
            want.add(p);
            columns.append(p);
        }
        assertThat(columns).hasSize(10_000).containsExactlyElementsOf(want);
        assertThat(columns.get(9_999)).isEqualTo(want.get(9_999));
        assertThatThrownBy(() -> columns.get(10_000)).isInstanceOf(IndexOutOfBoundsException.class);

        // Averages from the columns are the ones made response by response, bit for bit.
        Map<String, List<PromptScore>> compact = Map.of("m", columns);
        Map<String, List<PromptScore>> plain = Map.of("m", want);
        ScorerOutput.Metadata meta = new ScorerOutput.Metadata("", "", "t", "", null);
        assertThat(ScorerOutput.of(meta, compact).modelAverages())
                .isEqualTo(ScorerOutput.of(meta, plain).modelAverages())
                .extractingByKey("m")
                .satisfies(m -> assertThat(m).hasSize(9));
    }

    @Test
    void aModelWithoutHeuristicScoresAveragesToNothing() {
        CompactScores columns = new CompactScores("m");
        columns.append(new PromptScore("p", "m", null, null, null, StandardScores.exact(ExactMatch.score("4", "4"))));
        ScorerOutput.Metadata meta = new ScorerOutput.Metadata("", "", "t", "", null);
        assertThat(ScorerOutput.of(meta, Map.of("m", columns)).modelAverages()).containsEntry("m", Map.of());
    }

    @Test
    void judgeScoresAreRefused() {
        CompactScores columns = new CompactScores("m");
        PromptScore judged = new PromptScore("p", "m", null, new SemanticScores(1, 2, 3, 4, "r"), null, null);
        assertThatThrownBy(() -> columns.append(judged)).isInstanceOf(IllegalArgumentException.class);
    }
}
