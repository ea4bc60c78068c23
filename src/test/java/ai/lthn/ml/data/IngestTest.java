package ai.lthn.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.MlException;
import ai.lthn.ml.store.Point;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
    @TempDir
    Path dir;

    private final List<List<Point>> batches = new ArrayList<>();
    private final StringWriter text = new StringWriter();
    private final AtomicLong clock = new AtomicLong(1000);

    private long run(Ingest.Config config) {
        return Ingest.run(config, batches::add, new PrintWriter(text, true), clock::incrementAndGet);
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        batches.forEach(b -> b.forEach(p -> out.add(p.toLine())));
        return out;
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void iterationIsTheIntegerAfterTheLastAt() {
        assertThat(Ingest.extractIteration("@0001000")).isEqualTo(1000);
        assertThat(Ingest.extractIteration("x@12b")).isZero();
        assertThat(Ingest.extractIteration("a@b@200")).isEqualTo(200);
        assertThat(Ingest.extractIteration("model@")).isZero();
        assertThat(Ingest.extractIteration("model")).isZero();
        assertThat(Ingest.extractIteration("m@+7")).isEqualTo(7); // Go's Atoi takes a sign
        assertThat(Ingest.extractIteration("m@\u0661\u0662")).isZero(); // but only ASCII digits
    }

    @Test
    void hasKernelIsCaseInsensitiveKernelOrCaseSensitiveLek() {
        assertThat(Ingest.hasKernel("gemma-KERNEL@1")).isTrue();
        assertThat(Ingest.hasKernel("LEK-run")).isTrue();
        assertThat(Ingest.hasKernel("lek-run")).isFalse();
        assertThat(Ingest.hasKernel("base@100")).isFalse();
    }

    @Test
    void aggregatesRoundHalfAwayFromZero() {
        assertThat(Ingest.roundHalfAwayFromZero(7.5)).isEqualTo(8);
        assertThat(Ingest.roundHalfAwayFromZero(7.49)).isEqualTo(7);
        assertThat(Ingest.roundHalfAwayFromZero(2.5)).isEqualTo(3);
        assertThat(Ingest.roundHalfAwayFromZero(-2.5)).isEqualTo(-3);
        assertThat(Ingest.roundHalfAwayFromZero(0.49999999999999994)).isZero();
    }

    @Test
    void missingFilesAndModelUseGoMlsMessages() {
        assertThatThrownBy(() -> new Ingest.Config(null, null, null, "m", "", 0))
                .hasMessage("at least one of --content, --capability, or --training-log is required");
        assertThatThrownBy(() -> new Ingest.Config(Path.of("x"), null, null, "", "", 0))
                .hasMessage("--model is required");
        Ingest.Config c = new Ingest.Config(Path.of("x"), null, null, "m", null, 0);
        assertThat(c.runId()).isEqualTo("m");
        assertThat(c.batchSize()).isEqualTo(100);
    }

    @Test
    void contentLinesWriteIntegerAggregatesAndFloatProbesSkippingNonNumbers() throws Exception {
        Path f = file("content.jsonl", """
                {"label":"gemma LEK@0000200","aggregates":{"ccp":7.5,"truth":"6.25","bad":true,"nil":null,"word":"x"},\
                "probes":{"p1":{"scores":{"ccp":0.1234567}}}}

                {"label":"base","aggregates":{"ccp":3}}
                """);
        long n = run(new Ingest.Config(f, null, null, "gemma 3", "", 0));
        assertThat(n).isEqualTo(4);
        assertThat(lines())
                .containsExactly(
                        "content_score,dimension=ccp,has_kernel=true,label=gemma\\ LEK@0000200,model=gemma\\ 3,run_id=gemma\\ 3"
                                + " score=8i,iteration=200i 1001",
                        "content_score,dimension=truth,has_kernel=true,label=gemma\\ LEK@0000200,model=gemma\\ 3,run_id=gemma\\ 3"
                                + " score=6i,iteration=200i 1001",
                        "probe_score,dimension=ccp,has_kernel=true,label=gemma\\ LEK@0000200,model=gemma\\ 3,probe_id=p1,"
                                + "run_id=gemma\\ 3 score=0.123457,iteration=200i 1001",
                        "content_score,dimension=ccp,has_kernel=false,label=base,model=gemma\\ 3,run_id=gemma\\ 3"
                                + " score=3i,iteration=0i 1003");
        // the blank line is counted, as go-ml counts it
        assertThat(text.toString())
                .isEqualTo("  content scores: 4 points from 3 lines\nIngested 4 total points into InfluxDB\n");
    }

    @Test
    void capabilityLinesWriteOverallAndFractionsPerCategory() throws Exception {
        Path f = file("cap.jsonl", """
                {"label":"m@50","accuracy":82.5,"correct":3,"total":4,"by_category":{"math":{"correct":2,"total":3},"none":{"correct":0,"total":0}}}
                """);
        run(new Ingest.Config(null, f, null, "m", "r1", 0));
        assertThat(lines())
                .containsExactly(
                        "capability_score,category=overall,label=m@50,model=m,run_id=r1 accuracy=82.5,correct=3i,total=4i,iteration=50i 1001",
                        "capability_score,category=math,label=m@50,model=m,run_id=r1 accuracy=0.666667,correct=2i,total=3i,iteration=50i 1001",
                        "capability_score,category=none,label=m@50,model=m,run_id=r1 accuracy=0,correct=0i,total=0i,iteration=50i 1001");
        assertThat(text.toString()).startsWith("  capability scores: 3 points from 1 lines\n");
    }

    @Test
    void trainingLogAppliesBothRegexesToEachLine() throws Exception {
        Path f = file(
                "train.log",
                "noise\n"
                        + "Iter 10: Train loss 2.5, Learning Rate 1e-05, It/sec 0.51234, Tokens/sec 123.456\n"
                        + "Iter 20: Val loss 1.9 Iter 20: Train loss 1.8, Learning Rate 2.000e-5, It/sec 1.0, Tokens/sec 99.999\r\n");
        long n = run(new Ingest.Config(null, null, f, "m", "", 0));
        assertThat(n).isEqualTo(3);
        assertThat(lines())
                .containsExactly(
                        "training_loss,loss_type=train,model=m,run_id=m loss=2.5,iteration=10i,learning_rate=0.00001,"
                                + "it_per_sec=0.5123,tokens_per_sec=123.46 1002",
                        "training_loss,loss_type=val,model=m,run_id=m loss=1.9,iteration=20i 1003",
                        "training_loss,loss_type=train,model=m,run_id=m loss=1.8,iteration=20i,learning_rate=0.00002,"
                                + "it_per_sec=1,tokens_per_sec=100 1003");
        assertThat(text.toString()).startsWith("  training log: 3 points from 3 lines\n");
    }

    @Test
    void batchesAreFlushedAtTheBatchSizeAndAtTheEnd() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) sb.append("Iter ").append(i).append(": Val loss 1.0\n");
        run(new Ingest.Config(null, null, file("t.log", sb.toString()), "m", "", 2));
        assertThat(batches).extracting(List::size).containsExactly(2, 2, 1);
    }

    @Test
    void aBadJsonLineStopsWithItsNumber() throws Exception {
        Path f = file("c.jsonl", "{\"label\":\"a\"}\n\n{nope\n");
        assertThatThrownBy(() -> run(new Ingest.Config(f, null, null, "m", "", 0)))
                .isInstanceOf(MlException.class)
                .hasMessageStartingWith("ingest content scores: line 3: parse json: ");
        Path g = file("g.jsonl", "{\"label\":\"a\",\"correct\":1.5}\n");
        assertThatThrownBy(() -> run(new Ingest.Config(null, g, null, "m", "", 0)))
                .hasMessageStartingWith("ingest capability scores: line 1: parse json: cannot unmarshal number");
    }

    @Test
    void aLineOfOneMebibyteIsRefused() throws Exception {
        Path f = file("big.log", "x".repeat(Ingest.MAX_LINE_BYTES) + "\n");
        assertThatThrownBy(() -> run(new Ingest.Config(null, null, f, "m", "", 0)))
                .hasMessageContaining("line 1 is 1 MiB or longer");
        Path ok = file("ok.log", "x".repeat(Ingest.MAX_LINE_BYTES - 1) + "\n");
        run(new Ingest.Config(null, null, ok, "m", "", 0));
        assertThat(text.toString()).startsWith("  training log: 0 points from 1 lines\n");
    }

    @Test
    void aRefusedBatchStopsWithGoMlsPrefix() throws Exception {
        Path f = file("t.log", "Iter 1: Val loss 1.0\n");
        assertThatThrownBy(() -> Ingest.run(
                        new Ingest.Config(null, null, f, "m", "", 0),
                        b -> {
                            throw new MlException("influx write failed 400: bad");
                        },
                        new PrintWriter(text)))
                .hasMessage("ingest training log: write final batch: influx write failed 400: bad");
    }
}
