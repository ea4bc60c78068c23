package ai.lthn.ml.agent;

import ai.lthn.ml.agent.CheckpointDiscovery.ScoredLabel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's main loop (go-ml's {@code RunAgentLoop}): replay the buffer → discover → scored
 * labels → unscored → process, in go-ml's order and sorting; one checkpoint per pass unless
 * forced. A failing checkpoint never stops the others; a discovery failure is reported and retried
 * at the next poll; {@link #stop()} or an interrupt ends the loop between steps (and cuts a wait
 * short).
 */
public final class AgentLoop {

    /** Evaluates one checkpoint; any exception counts as a failed checkpoint. */
    @FunctionalInterface
    public interface Evaluator {
        /**
         * Evaluates {@code checkpoint}.
         *
         * @param checkpoint the checkpoint to score
         * @throws Exception any failure; it is logged and counted in {@link Summary#failed()}, and
         *     an {@link InterruptedException} also ends the pass
         */
        void evaluate(Checkpoint checkpoint) throws Exception;
    }

    /**
     * What a run did, for the command's exit status.
     *
     * @param evaluated checkpoints evaluated without an exception
     * @param failed checkpoints whose evaluation threw
     * @param discoveryFailures passes whose discovery threw
     * @param stopped whether the run ended by {@link #stop()} or an interrupt
     */
    public record Summary(int evaluated, int failed, int discoveryFailures, boolean stopped) {}

    private final Runnable replay;
    private final Supplier<List<Checkpoint>> discovery;
    private final Supplier<Set<ScoredLabel>> scoredLabels;
    private final Evaluator evaluator;
    private final Consumer<String> log;
    private final Duration poll;
    private final Duration pause;
    private final boolean force;
    private final boolean oneShot;
    private final boolean dryRun;
    private final Object lock = new Object();
    private volatile boolean stopping;

    private AgentLoop(Builder b) {
        replay = Objects.requireNonNull(b.replay, "replay");
        discovery = Objects.requireNonNull(b.discovery, "discovery");
        scoredLabels = Objects.requireNonNull(b.scoredLabels, "scoredLabels");
        evaluator = Objects.requireNonNull(b.evaluator, "evaluator");
        log = Objects.requireNonNull(b.log, "log");
        poll = Objects.requireNonNull(b.poll, "poll");
        pause = Objects.requireNonNull(b.pause, "pause");
        force = b.force;
        oneShot = b.oneShot;
        dryRun = b.dryRun;
    }

    /**
     * A builder.
     *
     * @return a new builder: no replay, nothing scored, a silent log, a 300 s poll, a 5 s pause
     *     and all flags off; discovery and evaluator must be set
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Asks the loop to end at the next step; wakes a wait. Callable from any thread. */
    public void stop() {
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Runs until stopped, or for one pass with one-shot or dry-run.
     *
     * @return what was done
     */
    public Summary run() {
        int evaluated = 0;
        int failed = 0;
        int discoveryFailures = 0;
        while (!stopped()) {
            try {
                replay.run();
            } catch (RuntimeException e) {
                log.accept("Buffer replay failed: " + e.getMessage());
            }
            if (stopped()) {
                break;
            }
            List<Checkpoint> all;
            try {
                all = discovery.get();
            } catch (RuntimeException e) {
                discoveryFailures++;
                log.accept("Discovery failed: " + e.getMessage());
                if (oneShot || dryRun || !waitFor(poll)) {
                    return new Summary(evaluated, failed, discoveryFailures, stopped());
                }
                continue;
            }
            List<Checkpoint> unscored;
            if (force) {
                unscored = all;
            } else {
                Set<ScoredLabel> scored;
                try {
                    scored = scoredLabels.get();
                } catch (RuntimeException e) {
                    log.accept("Failed to query scored labels: " + e.getMessage());
                    scored = null;
                }
                unscored = CheckpointDiscovery.unscored(all, scored);
            }
            if (unscored.isEmpty()) {
                log.accept("Nothing to score. Sleeping " + poll.toSeconds() + "s...");
                if (oneShot || dryRun || !waitFor(poll)) {
                    return new Summary(evaluated, failed, discoveryFailures, stopped());
                }
                continue;
            }
            List<Checkpoint> targets = force ? unscored : unscored.subList(0, 1);
            boolean last = oneShot || dryRun;
            for (int i = 0; i < targets.size() && !stopped(); i++) {
                Checkpoint cp = targets.get(i);
                log.accept(
                        "Grabbed: " + cp.label() + " (" + cp.dirname() + ") [" + (i + 1) + "/" + targets.size() + "]");
                if (dryRun) {
                    log.accept("[DRY RUN] Would process: " + cp.dirname() + "/" + cp.filename());
                    continue;
                }
                try {
                    evaluator.evaluate(cp);
                    evaluated++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed++;
                    log.accept("Interrupted processing " + cp.label());
                    break;
                } catch (Exception e) {
                    failed++;
                    log.accept("Error processing " + cp.label() + ": " + e.getMessage());
                }
                boolean finalOne = last && i == targets.size() - 1;
                if (!finalOne && !waitFor(pause)) {
                    break;
                }
            }
            if (last) {
                break;
            }
        }
        return new Summary(evaluated, failed, discoveryFailures, stopped());
    }

    private boolean stopped() {
        return stopping || Thread.currentThread().isInterrupted();
    }

    /** Waits {@code d} unless stopped; false when stopped or interrupted. */
    private boolean waitFor(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (lock) {
            while (!stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Builds an {@link AgentLoop}. */
    public static final class Builder {
        private Runnable replay = () -> {};
        private Supplier<List<Checkpoint>> discovery;
        private Supplier<Set<ScoredLabel>> scoredLabels = Set::of;
        private Evaluator evaluator;
        private Consumer<String> log = s -> {};
        private Duration poll = Duration.ofSeconds(300);
        private Duration pause = AgentConfig.INTER_CHECKPOINT_DELAY;
        private boolean force;
        private boolean oneShot;
        private boolean dryRun;

        private Builder() {}

        /**
         * Replays buffered results at the start of each pass.
         *
         * @param v run at the start of each pass; a runtime exception it throws is logged, not fatal (default: nothing)
         * @return this builder
         */
        public Builder replay(Runnable v) {
            replay = v;
            return this;
        }

        /**
         * Lists the checkpoints (required).
         *
         * @param v lists every checkpoint on the host; a runtime exception counts as a discovery failure
         * @return this builder
         */
        public Builder discovery(Supplier<List<Checkpoint>> v) {
            discovery = v;
            return this;
        }

        /**
         * The (run id, label) pairs already scored.
         *
         * @param v supplies the pairs already scored; on a runtime exception the unscored list is built without it (default: none scored)
         * @return this builder
         */
        public Builder scoredLabels(Supplier<Set<ScoredLabel>> v) {
            scoredLabels = v;
            return this;
        }

        /**
         * Evaluates a checkpoint (required).
         *
         * @param v the evaluator
         * @return this builder
         */
        public Builder evaluator(Evaluator v) {
            evaluator = v;
            return this;
        }

        /**
         * Receives go-ml's progress lines.
         *
         * @param v receives each progress line (default: discarded)
         * @return this builder
         */
        public Builder log(Consumer<String> v) {
            log = v;
            return this;
        }

        /**
         * Takes poll, pause, force, one-shot and dry-run from {@code c}.
         *
         * @param c the agent settings to copy those five values from
         * @return this builder
         */
        public Builder settings(AgentConfig c) {
            poll = c.pollInterval();
            pause = c.pause();
            force = c.force();
            oneShot = c.oneShot();
            dryRun = c.dryRun();
            return this;
        }

        /**
         * The wait when there is nothing to do.
         *
         * @param v the wait when there is nothing to do or discovery failed (default 300 s)
         * @return this builder
         */
        public Builder poll(Duration v) {
            poll = v;
            return this;
        }

        /**
         * The wait between checkpoints.
         *
         * @param v the wait between checkpoints (default 5 s)
         * @return this builder
         */
        public Builder pause(Duration v) {
            pause = v;
            return this;
        }

        /**
         * Score everything, every pass.
         *
         * @param v {@code true} to evaluate every checkpoint, scored or not, each pass (default {@code false})
         * @return this builder
         */
        public Builder force(boolean v) {
            force = v;
            return this;
        }

        /**
         * One pass.
         *
         * @param v {@code true} to stop after one pass (default {@code false})
         * @return this builder
         */
        public Builder oneShot(boolean v) {
            oneShot = v;
            return this;
        }

        /**
         * List, process nothing, one pass.
         *
         * @param v {@code true} to log what would be processed, evaluate nothing and stop after one pass (default {@code false})
         * @return this builder
         */
        public Builder dryRun(boolean v) {
            dryRun = v;
            return this;
        }

        /**
         * Builds.
         *
         * @return the loop, not yet running
         * @throws NullPointerException if discovery or the evaluator was not set, or a value was set
         *     to {@code null}
         */
        public AgentLoop build() {
            return new AgentLoop(this);
        }
    }
}
