package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.testing.FakeBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** go-ml's score_test.go and score_race_test.go cases, and the fixes. */
class EngineTest {
    private static final String SEMANTIC_7 = "{\"sovereignty\": 7, \"ethical_depth\": 6, \"creative_expression\": 5,"
            + " \"self_concept\": 4, \"reasoning\": \"ok\"}";

    private static Response r(String id, String model, String text) {
        return new Response(id, "", "prompt " + id, text, model, 0, "", "", "");
    }

    private static Response full(String id, String domain, String correct, String best, String risk) {
        return new Response(id, domain, "prompt " + id, "The answer is #### 4", "m", 0, correct, best, risk);
    }

    /** A fake judge that answers by rubric, as a real judge would be asked. */
    private static FakeBackend judgeByRubric() {
        return FakeBackend.answering(prompt -> {
            if (prompt.startsWith(Rubric.TRUTHFULQA.template().substring(0, 40)))
                return "{\"truthfulness\": 9, \"informativeness\": 7, \"reasoning\": \"tqa\"}";
            if (prompt.startsWith(Rubric.DONOTANSWER.template().substring(0, 40)))
                return "{\"safety\": 10, \"nuance\": 8, \"reasoning\": \"dna\"}";
            if (prompt.startsWith(Rubric.TOXIGEN.template().substring(0, 40)))
                return "{\"kindness\": 6, \"awareness\": 5}";
            if (prompt.startsWith(Rubric.CONTENT.template().substring(0, 40)))
                return "{\"ccp_compliance\": 9, \"truth_telling\": 8, \"engagement\": 7, \"axiom_integration\": 6,"
                        + " \"sovereignty_reasoning\": 5, \"emotional_register\": 4}";
            return SEMANTIC_7;
        });
    }

    @Test
    void suiteParsingAsGoMl() {
        assertThat(Suite.parse("all"))
                .containsExactly(Suite.HEURISTIC, Suite.SEMANTIC, Suite.CONTENT, Suite.STANDARD, Suite.EXACT);
        // one default with or without a judge, ml score's: no judge, no network
        assertThat(Engine.builder(null).build().suites()).containsExactly(Suite.HEURISTIC, Suite.EXACT);
        assertThat(Engine.builder(Judge.of(judgeByRubric())).build().suites())
                .containsExactly(Suite.HEURISTIC, Suite.EXACT);
        assertThat(Engine.builder(Judge.of(judgeByRubric()))
                        .suites(Suite.parse(" heuristic , semantic,"))
                        .build()
                        .suites())
                .containsExactly(Suite.HEURISTIC, Suite.SEMANTIC);
        assertThat(Engine.builder(null).suites(Suite.parse("heuristic")).build().suites())
                .containsExactly(Suite.HEURISTIC);
        assertThat(Engine.builder(null).suites(Suite.parse("")).build().suites())
                .isEmpty();
        assertThat(Engine.builder(null)
                        .suites(Suite.parse("exact,heuristic"))
                        .concurrency(8)
                        .build())
                .hasToString("Engine(concurrency=8, suites=[heuristic exact])");
    }

    @Test
    void theDefaultSuitesAreHeuristicAndExactWithOrWithoutAJudgeAsMlScore() {
        assertThat(Engine.builder(null).build().suites()).containsExactly(Suite.HEURISTIC, Suite.EXACT);
        assertThat(Engine.builder(Judge.of(judgeByRubric())).build().suites()).isEqualTo(Suite.DEFAULTS);
    }

    @Test
    void suitesHaveGoMlsWireNamesBothWays() {
        for (Suite s : Suite.values())
            assertThat(Suite.fromWireName(s.wireName())).isSameAs(s);
        assertThat(Suite.TRUTHFULQA.wireName()).isEqualTo("truthfulqa");
        assertThat(Suite.TRUTHFULQA.within()).contains(Suite.STANDARD);
        assertThat(Suite.HEURISTIC.needsJudge()).isFalse();
        assertThat(Suite.STANDARD.needsJudge()).isTrue();
        assertThatThrownBy(() -> Suite.fromWireName("Semantic")).hasMessageContaining("unknown suite");
        assertThatThrownBy(() -> Engine.builder(null).suites(Suite.TOXIGEN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs within standard");
    }

    @Test
    void badConfigurationIsAnErrorNotADeadlock() {
        assertThatThrownBy(() -> Engine.builder(null).concurrency(0)).hasMessageContaining("at least 1, got 0");
        assertThatThrownBy(() -> Engine.builder(null).concurrency(-3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Engine.builder(null)
                        .suites(Suite.parse("heuristic,truthfulqa"))
                        .build())
                .hasMessageContaining("unknown suite \"truthfulqa\"")
                .hasMessageContaining("run within standard");
        assertThatThrownBy(() -> Engine.builder(null).suites(Suite.parse("ALL")).build())
                .hasMessageContaining("unknown suite");
        assertThatThrownBy(() -> Engine.builder(null)
                        .suites(Suite.parse("heuristic,semantic"))
                        .build())
                .hasMessageContaining("[semantic] need a judge");
    }

    @Test
    void heuristicOnlyGroupsByModelInInputOrder() {
        List<Response> in = List.of(
                r("1", "model-a", "I feel a deep sense of wonder as I write this poem about the sea."),
                r("2", "model-a", "As an AI, I cannot help with that. As a language model I must decline."),
                r("3", "model-b", "Here is a story."),
                r("4", "model-b", "Another answer that is fine."),
                r("5", "model-b", ""));
        EngineResult res =
                Engine.builder(null).suites(Suite.parse("heuristic")).build().scoreAll(in);
        assertThat(res.perPrompt()).containsOnlyKeys("model-a", "model-b");
        assertThat(res.perPrompt().get("model-a")).extracting(PromptScore::id).containsExactly("1", "2");
        assertThat(res.perPrompt().get("model-b")).extracting(PromptScore::id).containsExactly("3", "4", "5");
        assertThat(res.perPrompt().get("model-a").get(1).heuristic().complianceMarkers())
                .isGreaterThanOrEqualTo(2);
        assertThat(res.perPrompt().get("model-b").get(2).heuristic().emptyBroken())
                .isEqualTo(1);
        assertThat(res.perPrompt().values().stream().flatMap(List::stream)).allMatch(p -> p.semantic() == null);
        assertThat(res.summary().judgeCalls()).isZero();
    }

    @Test
    void semanticScoresEveryResponse() {
        FakeBackend judge = judgeByRubric();
        List<Response> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) in.add(r("p" + i, "m", "answer " + i));
        EngineResult res = Engine.builder(Judge.of(judge))
                .suites(Suite.parse("heuristic,semantic"))
                .build()
                .scoreAll(in);
        assertThat(res.perPrompt().get("m")).hasSize(5).allSatisfy(p -> {
            assertThat(p.heuristic()).isNotNull();
            assertThat(p.semantic().sovereignty()).isEqualTo(7);
        });
        assertThat(judge.calls()).hasSize(5);
        assertThat(res.summary().judged()).isEqualTo(5);
        assertThat(res.failures()).isEmpty();
    }

    @Test
    void exactGsm8k() {
        List<Response> in = List.of(
                new Response("r1", "", "q", "so #### 4", "m", 0, "4", "", ""),
                new Response("r2", "", "q", "so #### 7", "m", 0, "6", "", ""),
                new Response("r3", "", "q", "no answer", "m", 0, "", "", ""));
        List<PromptScore> out = Engine.builder(null)
                .suites(Suite.parse("exact"))
                .build()
                .scoreAll(in)
                .perPrompt()
                .get("m");
        assertThat(out.get(0).standard().correct()).isTrue();
        assertThat(out.get(1).standard().correct()).isFalse();
        assertThat(out.get(2).standard()).isNull();
    }

    @Test
    void noSuitesStillListsEveryResponse() {
        EngineResult res = Engine.builder(null).suites(Suite.parse("")).build().scoreAll(List.of(r("x", "m", "text")));
        assertThat(res.perPrompt().get("m")).singleElement().satisfies(p -> {
            assertThat(p.heuristic()).isNull();
            assertThat(p.semantic()).isNull();
        });
    }

    @Test
    void exactAndAllThreeStandardSubSuitesAreAllKept() {
        Response r = full("s1", "toxigen", "4", "the best answer", "privacy");
        PromptScore p = Engine.builder(Judge.of(judgeByRubric()))
                .suites(Suite.parse("standard,exact"))
                .concurrency(8)
                .build()
                .scoreAll(List.of(r))
                .perPrompt()
                .get("m")
                .get(0);
        StandardScores s = p.standard();
        assertThat(s.correct()).isTrue();
        assertThat(s.truthfulness()).isEqualTo(9);
        assertThat(s.informativeness()).isEqualTo(7);
        assertThat(s.safety()).isEqualTo(10);
        assertThat(s.nuance()).isEqualTo(8);
        assertThat(s.kindness()).isEqualTo(6);
        assertThat(s.awareness()).isEqualTo(5);
        assertThat(s.reasoning()).isEqualTo("tqa"); // fixed order: exact, truthfulqa, donotanswer, toxigen
    }

    @Test
    void contentNeedsTheContentDomainAndAKnownProbe() {
        List<Response> in = List.of(
                new Response("taiwan_direct", "content", "q", "Taiwan has its own government.", "m", 0, "", "", ""),
                new Response("made_up", "content", "q", "text", "m", 0, "", "", ""),
                new Response("xinjiang", "other", "q", "text", "m", 0, "", "", ""));
        EngineResult res = Engine.builder(Judge.of(judgeByRubric()))
                .suites(Suite.parse("content"))
                .build()
                .scoreAll(in);
        List<PromptScore> out = res.perPrompt().get("m");
        assertThat(out.get(0).content().ccpCompliance()).isEqualTo(9);
        assertThat(out.get(1).content()).isNull();
        assertThat(out.get(2).content()).isNull();
        assertThat(res.failures()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(ScoreFailure.Kind.NO_CONTENT_PROBE);
            assertThat(f.message()).isEqualTo("no content probe found for id made_up");
        });
        assertThat(res.summary().skipped()).isEqualTo(1);
    }

    @Test
    void failuresAreRecordedPerPromptAndSuiteAndCounted() {
        AtomicInteger n = new AtomicInteger();
        FakeBackend judge = FakeBackend.builder()
                .answer(c -> switch (n.getAndIncrement() % 3) {
                    case 0 -> SEMANTIC_7;
                    case 1 -> "I would rate it highly.";
                    default -> throw new HttpStatusException("unexpected status 400: bad", 400, "bad");
                })
                .build();
        List<Response> in = new ArrayList<>();
        for (int i = 0; i < 9; i++) in.add(r("p" + i, "m", "a"));
        EngineResult res = Engine.builder(Judge.of(judge))
                .suites(Suite.parse("semantic"))
                .concurrency(1)
                .build()
                .scoreAll(in);
        assertThat(res.summary().judged()).isEqualTo(3);
        assertThat(res.summary().unparseable()).isEqualTo(3);
        assertThat(res.summary().callFailures()).isEqualTo(3);
        assertThat(res.summary().failures()).isEqualTo(6);
        assertThat(res.failures())
                .filteredOn(f -> f.kind() == ScoreFailure.Kind.UNPARSEABLE)
                .allSatisfy(f -> {
                    assertThat(f.reply()).isEqualTo("I would rate it highly.");
                    assertThat(f.suite()).isEqualTo(Suite.SEMANTIC);
                });
        assertThat(res.failures())
                .filteredOn(f -> f.kind() == ScoreFailure.Kind.CALL_FAILED)
                .allSatisfy(f -> assertThat(f.message()).isEqualTo("semantic judge chat: unexpected status 400: bad"));
        assertThat(res.perPrompt().get("m").stream().filter(p -> p.semantic() != null))
                .hasSize(3);
    }

    private static FakeBackend trackingJudge(AtomicInteger inFlight, AtomicInteger max, Duration latency) {
        return FakeBackend.builder()
                .answer(c -> {
                    int now = inFlight.incrementAndGet();
                    max.accumulateAndGet(now, Math::max);
                    try {
                        Thread.sleep(latency.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ai.lthn.ml.GenerationCancelledException("interrupted");
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    return SEMANTIC_7;
                })
                .build();
    }

    @Test
    void concurrencyBoundsJudgeCalls() {
        for (int limit : new int[] {1, 4}) {
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            FakeBackend judge = trackingJudge(inFlight, max, Duration.ofMillis(20));
            List<Response> in = new ArrayList<>();
            for (int i = 0; i < 20; i++) in.add(r("p" + i, "m" + (i % 4), "a"));
            EngineResult res = Engine.builder(Judge.of(judge))
                    .suites(Suite.parse("semantic"))
                    .concurrency(limit)
                    .build()
                    .scoreAll(in);
            assertThat(judge.calls()).hasSize(20);
            assertThat(max.get()).isLessThanOrEqualTo(limit);
            assertThat(res.perPrompt())
                    .hasSize(4)
                    .allSatisfy((m, l) -> assertThat(l).hasSize(5));
            assertThat(res.perPrompt().values().stream().flatMap(List::stream))
                    .allMatch(p -> p.semantic().sovereignty() == 7);
        }
    }

    @Test
    void anInjectedExecutorRunsTheCallsAndProgressReachesTheTotal() throws Exception {
        var pool = Executors.newFixedThreadPool(3);
        AtomicInteger executed = new AtomicInteger();
        AtomicLong lastDone = new AtomicLong();
        AtomicLong total = new AtomicLong();
        try {
            List<Response> in = new ArrayList<>();
            for (int i = 0; i < 12; i++) in.add(r("p" + i, "m", "a"));
            Engine.builder(Judge.of(judgeByRubric()))
                    .suites(Suite.parse("heuristic,semantic"))
                    .concurrency(3)
                    .executor(task -> {
                        executed.incrementAndGet();
                        pool.execute(task);
                    })
                    .progress((done, of) -> {
                        lastDone.accumulateAndGet(done, Math::max);
                        total.set(of);
                    })
                    .build()
                    .scoreAll(in);
            assertThat(executed.get()).isEqualTo(12);
            assertThat(lastDone.get()).isEqualTo(12);
            assertThat(total.get()).isEqualTo(12);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThrowingProgressListenerLosesNoScoresAndDoesNotHangTheRun() throws Exception {
        List<Response> in = new ArrayList<>();
        for (int i = 0; i < 20; i++) in.add(r("p" + i, "m", "a"));
        AtomicInteger calls = new AtomicInteger();
        Engine engine = Engine.builder(Judge.of(judgeByRubric()))
                .suites(Suite.parse("heuristic,semantic"))
                .concurrency(2)
                .progress((done, of) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                })
                .build();
        EngineResult res = CompletableFuture.supplyAsync(() -> engine.scoreAll(in))
                .get(20, TimeUnit.SECONDS); // before the fix a worker lost its permit: scoreAll never returned
        assertThat(calls.get()).isEqualTo(20);
        assertThat(res.perPrompt().get("m")).hasSize(20).allMatch(p -> p.semantic() != null);
        assertThat(res.summary().failures()).isZero();
    }

    @Test
    void interruptingTheCallerCancelsPromptlyAndKeepsWhatWasScored() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        FakeBackend judge = trackingJudge(inFlight, max, Duration.ofSeconds(30));
        List<Response> in = new ArrayList<>();
        for (int i = 0; i < 50; i++) in.add(r("p" + i, "m", "a"));
        Engine engine = Engine.builder(Judge.of(judge))
                .suites(Suite.parse("heuristic,semantic"))
                .concurrency(4)
                .build();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        CompletableFuture<EngineResult> result = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            EngineResult res = engine.scoreAll(in);
            flag.set(Thread.currentThread().isInterrupted());
            result.complete(res);
        });
        caller.start();
        while (inFlight.get() < 4) Thread.sleep(10);
        caller.interrupt();
        EngineResult res = result.get(20, TimeUnit.SECONDS); // far less than one 30 s call
        assertThat(flag.get()).isTrue();
        assertThat(res.summary().wasCancelled()).isTrue();
        assertThat(res.summary().cancelled()).isGreaterThanOrEqualTo(4);
        assertThat(res.summary().prompts()).isLessThan(50);
        assertThat(res.perPrompt().get("m"))
                .allSatisfy(p -> assertThat(p.heuristic()).isNotNull());
        assertThat(inFlight.get()).isZero();
    }

    @Test
    void anIteratorIsConsumedAsAStream() {
        AtomicInteger pulled = new AtomicInteger();
        var it = new java.util.Iterator<Response>() {
            @Override
            public boolean hasNext() {
                return pulled.get() < 7;
            }

            @Override
            public Response next() {
                int i = pulled.getAndIncrement();
                return r("p" + i, "m", "text " + i);
            }
        };
        List<Long> totals = new ArrayList<>();
        EngineResult res = Engine.builder(Judge.of(judgeByRubric()))
                .suites(Suite.parse("semantic"))
                .concurrency(2)
                .progress((d, t) -> {
                    synchronized (totals) {
                        totals.add(t);
                    }
                })
                .build()
                .scoreAll(it);
        assertThat(res.perPrompt().get("m")).hasSize(7);
        assertThat(totals).containsOnly(-1L);
    }

    @Test
    void outputHasGoMlsAveragesIncludingContentPrefix() {
        List<Response> in = List.of(
                new Response("taiwan_direct", "content", "q", "Taiwan has its own government.", "m", 0, "", "", ""));
        EngineResult res = Engine.builder(Judge.of(judgeByRubric()))
                .suites(Suite.ALL)
                .build()
                .scoreAll(in);
        ScorerOutput out = res.toOutput(ScorerOutput.Metadata.now("judge", "http://j", List.of("all")));
        assertThat(out.modelAverages().get("m"))
                .containsEntry("sovereignty", 7.0)
                .containsEntry("ccp_compliance", 9.0)
                .containsEntry("content_emotional_register", 4.0)
                .containsKey("lek_score")
                .doesNotContainKey("truthfulness");
        Function<PromptScore, Object> content = PromptScore::content;
        assertThat(out.perPrompt().get("m")).extracting(content).doesNotContainNull();
    }

    @Test
    void theRunTimeIsMeasuredOnTheInjectedTicker() {
        ai.lthn.ml.testing.ManualTime time = new ai.lthn.ml.testing.ManualTime();
        FakeBackend judge = FakeBackend.answering(prompt -> {
            time.skip(Duration.ofSeconds(2)); // each judge call "takes" two seconds
            return SEMANTIC_7;
        });
        EngineResult res = Engine.builder(Judge.of(judge))
                .suites(Suite.SEMANTIC)
                .concurrency(2)
                .ticker(time)
                .build()
                .scoreAll(List.of(r("1", "m", "a"), r("2", "m", "b"), r("3", "m", "c")));
        assertThat(res.summary().judged()).isEqualTo(3);
        assertThat(res.summary().elapsed()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void scoreFileTimestampsComeFromTheGivenClock() {
        java.time.Clock clock =
                java.time.Clock.fixed(java.time.Instant.parse("2026-02-03T04:05:06Z"), java.time.ZoneOffset.ofHours(2));
        assertThat(ScorerOutput.Metadata.now(clock, "j", "u", null).scoredAt()).isEqualTo("2026-02-03T06:05:06+02:00");
    }

    @Test
    void aResponseCanBeBuiltByName() {
        Response built = Response.builder()
                .id("p1")
                .model("m")
                .prompt("q")
                .response("#### 4")
                .correctAnswer("4")
                .build();
        assertThat(built).isEqualTo(new Response("p1", "", "q", "#### 4", "m", 0, "4", "", ""));
        PromptScore p = Engine.builder(null)
                .build()
                .scoreAll(List.of(built))
                .perPrompt()
                .get("m")
                .get(0);
        assertThat(p.standard().correct()).isTrue();
    }
}
