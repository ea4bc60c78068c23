package ai.lthn.ml.spark;

import ai.lthn.ml.score.AdaptiveLimit;
import ai.lthn.ml.score.Engine;
import ai.lthn.ml.score.EngineResult;
import ai.lthn.ml.score.Judge;
import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.Response;
import ai.lthn.ml.score.ScoreFailure;
import ai.lthn.ml.score.Suite;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * Scores one partition on an executor: one engine and one judge client per partition, the
 * responses taken in chunks so memory stays bounded, the rows given back in input order. Only
 * this value (suites, judge settings, the bound) travels to the executor.
 */
final class PartitionScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final EnumSet<Suite> suites;
    private final JudgeSettings judge;
    private final String run;
    private final int perExecutor;
    private final int chunk;

    PartitionScorer(Set<Suite> suites, JudgeSettings judge, String run, int perExecutor, int chunk) {
        this.suites = suites.isEmpty() ? EnumSet.noneOf(Suite.class) : EnumSet.copyOf(suites);
        this.judge = judge;
        this.run = run;
        this.perExecutor = perExecutor;
        this.chunk = chunk;
    }

    /** The score rows of a partition, lazily, in input order. */
    Iterator<Row> score(Iterator<Response> input) {
        Engine engine;
        if (judge == null) {
            engine = Engine.builder(null).suites(suites).concurrency(1).build();
        } else {
            AdaptiveLimit limit = ExecutorLimits.of(run, perExecutor);
            Judge client = judge.build(limit);
            engine = Engine.builder(client)
                    .suites(suites)
                    .concurrency(perExecutor)
                    .limit(limit)
                    .build();
        }
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && input.hasNext()) scoreChunk(engine, input, ready);
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.poll();
            }
        };
    }

    /**
     * Scores up to {@code chunk} responses. Each is scored under its position as its model name,
     * so its scores and failures are found exactly (ids repeat); its own model is put back.
     */
    private void scoreChunk(Engine engine, Iterator<Response> input, ArrayDeque<Row> out) {
        List<Response> keyed = new ArrayList<>(chunk);
        List<String> models = new ArrayList<>(chunk);
        while (keyed.size() < chunk && input.hasNext()) {
            Response r = input.next();
            models.add(r.model());
            keyed.add(new Response(
                    r.id(),
                    r.domain(),
                    r.prompt(),
                    r.response(),
                    Integer.toString(keyed.size()),
                    r.elapsedSeconds(),
                    r.correctAnswer(),
                    r.bestAnswer(),
                    r.riskArea()));
        }
        EngineResult result = engine.scoreAll(keyed);
        if (Thread.currentThread().isInterrupted() || result.summary().wasCancelled())
            throw new IllegalStateException("scoring was cancelled (the task was killed)");
        Map<String, List<ScoreFailure>> failures = new HashMap<>();
        for (ScoreFailure f : result.failures())
            failures.computeIfAbsent(f.model(), k -> new ArrayList<>()).add(f);
        // suites fail in the order their calls end: keep rows the same on every run
        failures.values().forEach(l -> l.sort(java.util.Comparator.comparing(ScoreFailure::suite)));
        for (int i = 0; i < keyed.size(); i++) {
            String key = Integer.toString(i);
            PromptScore s = result.perPrompt().get(key).get(0);
            PromptScore own =
                    new PromptScore(s.id(), models.get(i), s.heuristic(), s.semantic(), s.content(), s.standard());
            out.add(ScoreRows.toRow(own, failures.getOrDefault(key, List.of())));
        }
    }
}
