package ai.lthn.ml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PointTest {
    @Test
    void encodesGoMlsCapabilityLine() {
        Point p = Point.builder("capability_score")
                .tag("run_id", "r1")
                .tag("model", "gemma-3-1b")
                .tag("label", "G1 @100")
                .tag("category", "overall")
                .field("accuracy", 87.0)
                .field("correct", 20)
                .field("total", 23)
                .field("iteration", 100)
                .timestampNanos(1_739_577_600_000_000_000L)
                .build();
        assertThat(p.toLine())
                .isEqualTo("capability_score,category=overall,label=G1\\ @100,model=gemma-3-1b,run_id=r1"
                        + " accuracy=87,correct=20i,total=23i,iteration=100i 1739577600000000000");
    }

    @Test
    void escapesEverythingLineProtocolNeeds() {
        Point p = Point.builder("m ea,s")
                .tag("k=ey", "a,b=c d\\e")
                .tag("empty", "")
                .field("f ield", "say \"hi\" \\ bye")
                .field("ok", true)
                .field("x", 0.5)
                .timestampNanos(7)
                .build();
        assertThat(p.toLine())
                .isEqualTo("m\\ ea\\,s,k\\=ey=a\\,b\\=c\\ d\\e f\\ ield=\"say \\\"hi\\\" \\\\ bye\",ok=true,x=0.5 7");
        assertThat(p.tags()).doesNotContainKey("empty");
    }

    @Test
    void rejectsWhatCannotBeEncoded() {
        assertThatThrownBy(() -> Point.builder("m")
                        .tag("model", "evil\nm2 v=1i")
                        .field("v", 1)
                        .build())
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> Point.builder("m").build()).hasMessageContaining("no fields");
        assertThatThrownBy(() ->
                        Point.builder("m").tag("t", "ends\\").field("v", 1).build())
                .hasMessageContaining("backslash");
        assertThatThrownBy(
                        () -> Point.builder("m").tag("t", "a\\ b").field("v", 1).build())
                .hasMessageContaining("backslash");
        assertThatThrownBy(() -> Point.builder("m").field("v", Double.NaN).build())
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> Point.builder("").field("v", 1).build()).hasMessageContaining("measurement is empty");
    }

    @Test
    void aPointWithoutATimestampIsStampedWhenBuiltNotAtZero() {
        long before = System.currentTimeMillis() * 1_000_000L;
        Point a = Point.builder("m").tag("k", "v").field("x", 1).build();
        Point b = Point.builder("m").tag("k", "v").field("x", 2).build();
        long after = (System.currentTimeMillis() + 1) * 1_000_000L;
        assertThat(a.timestampNanos()).isBetween(before, after);
        assertThat(b.timestampNanos()).isBetween(before, after);
        assertThat(b.timestampNanos()).as("same series: must not overwrite").isGreaterThan(a.timestampNanos());
        java.time.Clock fixed = java.time.Clock.fixed(
                java.time.Instant.parse("2026-02-03T04:05:06.123456789Z"), java.time.ZoneOffset.UTC);
        assertThat(Point.builder("m").clock(fixed).field("x", 1).build().timestampNanos())
                .isEqualTo(1_770_091_506_123_456_789L);
        assertThat(Point.builder("m").field("x", 1).timestampNanos(0).build().timestampNanos())
                .as("an explicit time is kept, even 0")
                .isZero();
    }
}
