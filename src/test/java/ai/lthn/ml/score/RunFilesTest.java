package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.testing.FakeBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a run leaves beside its score file, read and written through the public API. */
class RunFilesTest {
    @TempDir
    Path dir;

    @Test
    void usageRoundTripsAndKeepsAnUnpricedCostNull() {
        Path f = dir.resolve("s.json.usage.json");
        new Budget.Usage("judge-1", 120, 30, 0.25).write(f);
        assertThat(Budget.Usage.read(f)).isEqualTo(new Budget.Usage("judge-1", 120, 30, 0.25));
        new Budget.Usage("judge-1", 5, 6, null).write(f);
        assertThat(Budget.Usage.read(f).cost()).isNull();
    }

    @Test
    void aBudgetReportsWhatItCounted() {
        Budget b = new Budget(new Budget.Price(1_000_000, 2_000_000), 0, 0, () -> {});
        b.onCall(new ai.lthn.ml.CallEvent(200, null, -1, null, 3, 4));
        assertThat(b.usage("j")).isEqualTo(new Budget.Usage("j", 3, 4, 11.0));
    }

    @Test
    void aFileThatIsNotUsageIsNamed() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "[1, 2");
        assertThatThrownBy(() -> Budget.Usage.read(f))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bad.json")
                .hasMessageContaining("not a usage file");
    }

    @Test
    void ledgerCallsCountAnswersAndFailuresAndIgnoreACrashCutLine() throws Exception {
        Path f = dir.resolve("s.json.ledger");
        FakeBackend ok = FakeBackend.replying("fine");
        try (Ledger ledger = Ledger.open(f, "scope", false, false)) {
            ledger.wrap(ok).generate("a", ai.lthn.ml.GenOpts.defaults());
            ledger.wrap(ok).generate("b", ai.lthn.ml.GenOpts.defaults());
            try {
                ledger.wrap(FakeBackend.answering(q -> {
                            throw new MlIOException("down", (java.io.IOException) null);
                        }))
                        .generate("c", ai.lthn.ml.GenOpts.defaults());
            } catch (MlIOException expected) {
                // recorded as a failure
            }
        }
        Files.write(f, "{\"key\":\"cut".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        assertThat(Ledger.calls(f)).isEqualTo(new Ledger.Calls(2, 1));
    }

    @Test
    void probeResultsRoundTripAndABadFileIsNamed() throws Exception {
        ProbeResult r = new ProbeResult(
                50.0,
                1,
                2,
                Map.of("math", new ProbeResult.Category(1, 2)),
                Map.of("m1", new ProbeResult.Single(true, "4"), "m2", new ProbeResult.Single(false, "x")));
        Path f = dir.resolve("probes.json");
        r.write(f);
        assertThat(ProbeResult.read(f)).isEqualTo(r);
        Files.writeString(f, "{\"accuracy\": \"high\"}");
        assertThatThrownBy(() -> ProbeResult.read(f))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("probes.json")
                .hasMessageContaining("not a probe file");
    }

    @Test
    void checkWritableRefusesAMissingDirectoryBeforeARun() {
        assertThatThrownBy(() -> ScorerOutput.checkWritable(dir.resolve("no/such/dir/s.json")))
                .isInstanceOf(MlIOException.class)
                .hasMessageContaining("does not exist");
        ScorerOutput.checkWritable(dir.resolve("fine.json")); // no exception
    }
}
