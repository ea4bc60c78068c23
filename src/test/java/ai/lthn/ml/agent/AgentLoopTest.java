package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.agent.CheckpointDiscovery.ScoredLabel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AgentLoopTest {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> evaluated = Collections.synchronizedList(new ArrayList<>());

    private static Checkpoint cp(String dir, long iter) {
        return new Checkpoint(
                "/b/" + dir, iter + "_adapters.safetensors", dir, iter, "gemma-3-1b", "L @" + iter, dir + "-run");
    }

    private final Checkpoint b200 = cp("b-dir", 200);
    private final Checkpoint a100 = cp("a-dir", 100);
    private final Checkpoint a50 = cp("a-dir", 50);
    private final List<Checkpoint> all = List.of(b200, a100, a50);

    private AgentLoop.Builder loop() {
        return AgentLoop.builder()
                .discovery(() -> all)
                .evaluator(c -> evaluated.add(c.label()))
                .log(log::add)
                .pause(Duration.ZERO)
                .poll(Duration.ofMillis(1));
    }

    @Test
    void oneShotProcessesOnlyTheFirstUnscoredInGoMlsOrder() {
        AgentLoop.Summary s = loop().oneShot(true)
                .scoredLabels(() -> Set.of(new ScoredLabel(a50.runId(), a50.label())))
                .build()
                .run();
        assertThat(evaluated).containsExactly("L @100");
        assertThat(s.evaluated()).isEqualTo(1);
        assertThat(log).contains("Grabbed: L @100 (a-dir) [1/1]");
    }

    @Test
    void forceProcessesAllInDiscoveryOrderAndAFailureDoesNotStopTheOthers() {
        AgentLoop.Summary s = loop().oneShot(true)
                .force(true)
                .evaluator(c -> {
                    evaluated.add(c.label());
                    if (c == a100) throw new IllegalStateException("boom");
                })
                .build()
                .run();
        assertThat(evaluated).containsExactly("L @200", "L @100", "L @50");
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.evaluated()).isEqualTo(2);
        assertThat(log).contains("Error processing L @100: boom");
    }

    @Test
    void dryRunProcessesNothing() {
        loop().dryRun(true).force(true).build().run();
        assertThat(evaluated).isEmpty();
        assertThat(log).contains("[DRY RUN] Would process: a-dir/100_adapters.safetensors");
    }

    @Test
    void scoredLabelFailureTreatsAllAsUnscored() {
        loop().oneShot(true)
                .scoredLabels(() -> {
                    throw new IllegalStateException("influx down");
                })
                .build()
                .run();
        assertThat(evaluated).containsExactly("L @50");
        assertThat(log).contains("Failed to query scored labels: influx down");
    }

    @Test
    void discoveryFailureIsRetriedNextPollAndReplayRunsEachPass() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger replays = new AtomicInteger();
        AtomicReference<AgentLoop> ref = new AtomicReference<>();
        AgentLoop l = loop().replay(replays::incrementAndGet)
                .discovery(() -> {
                    if (calls.incrementAndGet() == 1) throw new IllegalStateException("ssh refused");
                    return List.of(a50);
                })
                .evaluator(c -> {
                    evaluated.add(c.label());
                    ref.get().stop();
                })
                .build();
        ref.set(l);
        AgentLoop.Summary s = l.run();
        assertThat(s.discoveryFailures()).isEqualTo(1);
        assertThat(s.stopped()).isTrue();
        assertThat(evaluated).containsExactly("L @50");
        assertThat(replays.get()).isEqualTo(2);
        assertThat(log).contains("Discovery failed: ssh refused");
    }

    @Test
    void oneShotDiscoveryFailureReturnsAndNothingToScoreReturns() {
        AgentLoop.Summary s = loop().oneShot(true)
                .discovery(() -> {
                    throw new IllegalStateException("x");
                })
                .build()
                .run();
        assertThat(s.discoveryFailures()).isEqualTo(1);
        loop().oneShot(true).discovery(List::of).build().run();
        assertThat(log).contains("Nothing to score. Sleeping 0s...");
    }

    @Test
    void stopWakesALongWaitFromAnotherThread() throws Exception {
        AgentLoop l = loop().discovery(List::of).poll(Duration.ofHours(1)).build();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            l.run();
            done.countDown();
        });
        t.start();
        while (!log.contains("Nothing to score. Sleeping 3600s...")) {
            Thread.sleep(5);
        }
        l.stop();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void interruptEndsTheLoop() throws Exception {
        AgentLoop l = loop().discovery(List::of).poll(Duration.ofHours(1)).build();
        AtomicReference<AgentLoop.Summary> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(l.run()));
        t.start();
        while (!log.contains("Nothing to score. Sleeping 3600s...")) {
            Thread.sleep(5);
        }
        t.interrupt();
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(result.get().stopped()).isTrue();
    }
}
