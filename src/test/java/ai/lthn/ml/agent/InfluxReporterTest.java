package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.score.CapabilityProbes;
import ai.lthn.ml.score.CapabilityScores;
import ai.lthn.ml.score.ContentScores;
import ai.lthn.ml.score.ProbeResult;
import ai.lthn.ml.store.Point;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfluxReporterTest {
    private static final Checkpoint CP = new Checkpoint(
            "/b/adapters-27b",
            "0000100_adapters.safetensors",
            "adapters-27b",
            100,
            "gemma-3-27b",
            "G27 @0000100",
            "27b-capability-auto");
    private static final long TS = (AgentConfig.EPOCH_BASE + 100_000L) * 1_000_000_000L;

    @Test
    void summaryLinesHaveGoMlsFieldsTypesAndOffsets() {
        ProbeResult r = new ProbeResult(
                66.66666,
                2,
                3,
                Map.of("math", new ProbeResult.Category(2, 3), "a", new ProbeResult.Category(0, 0)),
                Map.of());
        List<String> lines = InfluxReporter.capabilitySummary(CP, r).stream()
                .map(Point::toLine)
                .toList();
        assertThat(lines)
                .containsExactly(
                        "capability_score,category=overall,label=G27\\ @0000100,model=gemma-3-27b,run_id=27b-capability-auto"
                                + " accuracy=66.7,correct=2i,total=3i,iteration=100i " + TS,
                        "capability_score,category=a,label=G27\\ @0000100,model=gemma-3-27b,run_id=27b-capability-auto"
                                + " accuracy=0,correct=0i,total=0i,iteration=100i " + (TS + 1_000_000_000L),
                        "capability_score,category=math,label=G27\\ @0000100,model=gemma-3-27b,run_id=27b-capability-auto"
                                + " accuracy=66.7,correct=2i,total=3i,iteration=100i " + (TS + 2_000_000_000L));
    }

    @Test
    void probeScoreUsesOneOffsetSchemeForLiveAndReplay() {
        String first = CapabilityProbes.all().get(0).id();
        String last = CapabilityProbes.all().get(22).id();
        Point live = InfluxReporter.probeScore(CP, first, true, List.of(first));
        assertThat(live.toLine())
                .isEqualTo("probe_score,label=G27\\ @0000100,model=gemma-3-27b,probe_id=" + first
                        + ",run_id=27b-capability-auto passed=1i,iteration=100i " + (TS + 101_000_000_000L));
        ProbeResult r = new ProbeResult(
                50,
                1,
                2,
                Map.of(),
                Map.of(
                        first,
                        new ProbeResult.Single(true, "x"),
                        last,
                        new ProbeResult.Single(false, "y"),
                        "zz_old",
                        new ProbeResult.Single(false, "")));
        List<Point> replay = InfluxReporter.capabilityResults(CP, r);
        assertThat(replay).contains(live);
        assertThat(replay.stream().filter(p -> p.measurement().equals("probe_score")))
                .extracting(Point::timestampNanos)
                .containsExactlyInAnyOrder(TS + 101_000_000_000L, TS + 123_000_000_000L, TS + 124_000_000_000L);
    }

    @Test
    void judgeFieldsAreTwoDecimalFloatsAndContentScoresIntegers() {
        Point j = InfluxReporter.capabilityJudge(CP, 3, "math_01", "math", new CapabilityScores(7, 8.125, 9, ""));
        assertThat(j.toLine())
                .isEqualTo("capability_judge,category=math,label=G27\\ @0000100,model=gemma-3-27b,probe_id=math_01"
                        + ",run_id=27b-capability-auto reasoning=7,correctness=8.12,clarity=9,avg=8.04,iteration=100i "
                        + (TS + 3_000_000_000L));
        List<Point> c = InfluxReporter.contentScores(
                CP, InfluxReporter.contentRunId(CP.runId()), 2, new ContentScores(1, 2, 3, 4, 5, 6, ""));
        assertThat(c).hasSize(6);
        assertThat(c.get(5).toLine())
                .isEqualTo("content_score,dimension=emotional_register,has_kernel=true,label=G27\\ @0000100"
                        + ",model=gemma-3-27b,run_id=27b-content-auto score=6i,iteration=100i "
                        + (TS + 25_000_000_000L));
    }

    @Test
    void overflowingIterationIsRefused() {
        assertThat(InfluxReporter.timestampNanos(0, 0)).isEqualTo(AgentConfig.EPOCH_BASE * 1_000_000_000L);
        assertThatThrownBy(() -> InfluxReporter.timestampNanos(8_000_000, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iteration 8000000");
    }
}
