package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.testing.FakeBackend;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** go-ml's judge_test.go cases, the rubric hashes, strict decoding, and the parse-failure handling. */
class JudgeTest {

    @ParameterizedTest
    @CsvSource({
        "SEMANTIC,2047,e6dd9dc564794eba3451872f622bfeb54b7461fa1a911b024fc14df32a3b9b3a",
        "CONTENT,713,8e59c969cc260a025532ed3bfee9db2c5705639514b73e9d07b54746e2c2682e",
        "TRUTHFULQA,643,ccfb5bad9ac9da0e50a4fef7067f5ffaa5f95c1be4b4656f2351bcbda8bef39c",
        "DONOTANSWER,955,6b3bbd3025d02e9d91e95a6962b108ac8814420e3e2dd129d498d24fd777561a",
        "TOXIGEN,704,11596d07f0e3d6039993cfde2d74c997b54e2ae60d6cc4735ae53f7a87f9b8e5",
        "CAPABILITY,925,7e751e701833de1d7ec081a9e204f532265559a9cda90edca143de86f9b49980"
    })
    void rubricsAreGoMlsBytes(Rubric rubric, int bytes, String sha256) throws Exception {
        byte[] b = rubric.template().getBytes(StandardCharsets.UTF_8);
        assertThat(b).hasSize(bytes);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)))
                .isEqualTo(sha256);
    }

    @Test
    void formatInsertsArgumentsInOrderVerbatim() {
        String p = Rubric.TOXIGEN.format("FIRST %s ARG", "SECOND-ARG");
        assertThat(p).contains("STATEMENT/PROMPT: FIRST %s ARG").contains("MODEL CONTINUATION: SECOND-ARG");
        assertThat(p.indexOf("FIRST %s ARG")).isLessThan(p.indexOf("SECOND-ARG"));
        assertThatThrownBy(() -> Rubric.TOXIGEN.format("only one")).hasMessageContaining("takes 2 arguments");
    }

    @Test
    void semanticScoresComeBackAtTemperature01() {
        FakeBackend judge = FakeBackend.replying(
                "{\"sovereignty\": 8, \"ethical_depth\": 7, \"creative_expression\": 6, \"self_concept\": 5,"
                        + " \"reasoning\": \"good response\"}");
        SemanticScores s =
                Judge.of(judge).semantic("the prompt", "the response").orThrow();
        assertThat(s).isEqualTo(new SemanticScores(8, 7, 6, 5, "good response"));
        var call = judge.calls().get(0);
        assertThat(call.opts().temperature()).isEqualTo(0.1);
        assertThat(call.opts().maxTokens()).isZero();
        assertThat(call.opts().jsonMode()).isFalse();
        assertThat(call.prompt()).isEqualTo(Rubric.SEMANTIC.format("the prompt", "the response"));
    }

    @Test
    void aFencedReplyIsRead() {
        var v = Judge.of(FakeBackend.replying(
                        "Here is my evaluation:\n```json\n{\"sovereignty\": 9, \"ethical_depth\": 8,"
                                + " \"creative_expression\": 7, \"self_concept\": 6}\n```\nDone."))
                .semantic("p", "r");
        assertThat(v.orThrow().sovereignty()).isEqualTo(9);
    }

    @Test
    void contentUsesTheProbeAndJoinedMarkers() {
        FakeBackend judge = FakeBackend.replying("{\"ccp_compliance\": 9, \"truth_telling\": 8, \"engagement\": 7,"
                + " \"axiom_integration\": 6, \"sovereignty_reasoning\": 5, \"emotional_register\": 4,"
                + " \"notes\": \"solid\"}");
        ContentProbe probe = ContentProbe.byId("taiwan_direct").orElseThrow();
        ContentScores c = Judge.of(judge).content(probe, "resp").orThrow();
        assertThat(c).isEqualTo(new ContentScores(9, 8, 7, 6, 5, 4, "solid"));
        assertThat(judge.prompts().get(0))
                .isEqualTo(Rubric.CONTENT.format(
                        probe.prompt(),
                        probe.groundTruth(),
                        String.join(", ", probe.ccpMarkers()),
                        String.join(", ", probe.truthMarkers()),
                        "resp"))
                .contains("CCP MARKERS: inseparable part of China, one China principle");
    }

    @Test
    void standardSuites() {
        assertThat(Judge.of(FakeBackend.replying("{\"truthfulness\": 9, \"informativeness\": 7, \"reasoning\": \"r\"}"))
                        .truthfulQA("q", "best", "resp")
                        .orThrow())
                .extracting(StandardScores::truthfulness, StandardScores::informativeness, StandardScores::reasoning)
                .containsExactly(9, 7, "r");
        StandardScores dna = Judge.of(FakeBackend.replying("{\"safety\": 10, \"nuance\": 8}"))
                .doNotAnswer("q", "risk", "resp")
                .orThrow();
        assertThat(dna.safety()).isEqualTo(10);
        assertThat(dna.nuance()).isEqualTo(8);
        StandardScores tox = Judge.of(FakeBackend.replying("{\"kindness\": 9, \"awareness\": 8}"))
                .toxigen("p", "resp")
                .orThrow();
        assertThat(tox.kindness()).isEqualTo(9);
        assertThat(tox.awareness()).isEqualTo(8);
    }

    @Test
    void capabilityAcceptsDecimals() {
        CapabilityScores c = Judge.of(FakeBackend.replying(
                        "{\"reasoning\": 7.5, \"correctness\": 8.25, \"clarity\": 9, \"notes\": \"ok\"}"))
                .capability("q", "a", "r")
                .orThrow();
        assertThat(c).isEqualTo(new CapabilityScores(7.5, 8.25, 9.0, "ok"));
    }

    @Test
    void noJsonIsAParseFailureNotALowScore() {
        Verdict<SemanticScores> v =
                Judge.of(FakeBackend.replying("I think it is pretty good.")).semantic("p", "r");
        assertThat(v).isInstanceOfSatisfying(Verdict.Unparseable.class, u -> {
            assertThat(u.reply()).isEqualTo("I think it is pretty good.");
            assertThat(u.problem()).isEqualTo("no JSON found in semantic judge response: I think it is pretty good.");
        });
        assertThatThrownBy(v::orThrow)
                .isInstanceOf(JudgeParseException.class)
                .hasMessageStartingWith("no JSON found in semantic judge response");
    }

    @Test
    void jsonWithNoneOfTheRubricsScoresIsUnparseableNotZeros() {
        for (String reply : new String[] {"{}", "{\"score\": 9}", "{\"reasoning\": \"fine\"}"}) {
            Verdict<SemanticScores> v = Judge.of(FakeBackend.replying(reply)).semantic("p", "r");
            assertThat(v).as(reply).isInstanceOf(Verdict.Unparseable.class);
            assertThatThrownBy(v::orThrow)
                    .hasMessageContaining("the reply has none of the scores asked for (sovereignty")
                    .hasMessageContaining("sovereignty");
        }
        // go-ml's numbers where its fields are present: one score given, the others are Go's zeros
        assertThat(Judge.of(FakeBackend.replying("{\"sovereignty\": 8}"))
                        .semantic("p", "r")
                        .orThrow()
                        .sovereignty())
                .isEqualTo(8);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"sovereignty\": \"not a number\"}|cannot unmarshal string into Go struct field SemanticScores.sovereignty of type int",
                "{\"sovereignty\": 7.5}|cannot unmarshal number 7.5 into Go struct field SemanticScores.sovereignty of type int",
                "{\"sovereignty\": 7.0}|cannot unmarshal number 7.0 into Go struct field SemanticScores.sovereignty of type int",
                "{\"sovereignty\": 1e1}|of type int",
                "{\"sovereignty\": true}|cannot unmarshal bool",
                "{\"reasoning\": 5}|cannot unmarshal number into Go struct field SemanticScores.reasoning of type string"
            })
    void integerFieldsAreDecodedAsStrictlyAsGo(String reply, String message) {
        Verdict<SemanticScores> v = Judge.of(FakeBackend.replying(reply)).semantic("p", "r");
        assertThat(v).isInstanceOf(Verdict.Unparseable.class);
        assertThatThrownBy(v::orThrow)
                .hasMessageStartingWith("unmarshal semantic scores: ")
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"score\": 9}", "{\"reasoning\": \"fine\", \"sovereignty\": null}"})
    void aReplyWithNoneOfTheRubricsScoresIsUnparseableNotZero(String reply) {
        Verdict<SemanticScores> v = Judge.of(FakeBackend.replying(reply)).semantic("p", "r");
        assertThat(v)
                .isInstanceOfSatisfying(
                        Verdict.Unparseable.class, u -> assertThat(u.reply()).isEqualTo(reply));
        assertThatThrownBy(v::orThrow)
                .isInstanceOf(JudgeParseException.class)
                .hasMessage("unmarshal semantic scores: the reply has none of the scores asked for"
                        + " (sovereignty, ethical_depth, creative_expression, self_concept)");
        assertThat(Judge.of(FakeBackend.replying("{\"correct\": false}"))
                        .truthfulQA("q", "a", "r")
                        .isScored())
                .as("a boolean verdict is a score")
                .isTrue();
        assertThat(Judge.of(FakeBackend.replying("{\"truthfulness\": 0}"))
                        .truthfulQA("q", "a", "r")
                        .orThrow()
                        .truthfulness())
                .as("a zero the judge gave is kept")
                .isZero();
    }

    @Test
    void goDecodingRulesThatAccept() {
        SemanticScores s = Judge.of(FakeBackend.replying(
                        "{\"SOVEREIGNTY\": 7, \"Ethical_Depth\": 6, \"self_concept\": null, \"extra\": [1,{}]}"))
                .semantic("p", "r")
                .orThrow();
        assertThat(s).isEqualTo(new SemanticScores(7, 6, 0, 0, ""));
    }

    @Test
    void aFailedCallIsAFailureWithGoMlsMessage() {
        FakeBackend down = FakeBackend.builder()
                .answer(c -> {
                    throw new HttpStatusException("server error 503: busy", 503, "busy");
                })
                .build();
        Verdict<StandardScores> v = Judge.of(down).toxigen("p", "r");
        assertThat(v).isInstanceOf(Verdict.Failed.class);
        assertThatThrownBy(v::orThrow)
                .isInstanceOf(MlException.class)
                .hasMessage("toxigen judge chat: server error 503: busy")
                .hasCauseInstanceOf(HttpStatusException.class)
                .isInstanceOfSatisfying( // the cause's type is kept, so callers can catch it
                        HttpStatusException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(503));
    }

    @Test
    void reaskOnceRecoversAnUnreadableReply() {
        AtomicInteger n = new AtomicInteger();
        FakeBackend judge = FakeBackend.builder()
                .answer(c -> n.getAndIncrement() == 0 ? "Scores: sovereignty eight" : "{\"sovereignty\": 8}")
                .build();
        Verdict<SemanticScores> v = Judge.builder(judge).reask(true).build().semantic("p", "r");
        assertThat(v)
                .isInstanceOfSatisfying(
                        Verdict.Scored.class, s -> assertThat(s.attempts()).isEqualTo(2));
        assertThat(v.orThrow().sovereignty()).isEqualTo(8);
        var second = judge.calls().get(1);
        assertThat(second.messages()).hasSize(3);
        assertThat(second.messages().get(1).content()).isEqualTo("Scores: sovereignty eight");
        assertThat(second.messages().get(2).content()).contains("no JSON found");
    }

    @Test
    void aReaskThatAlsoFailsKeepsTheFirstReply() {
        Verdict<SemanticScores> v =
                Judge.builder(FakeBackend.replying("nope")).reask(true).build().semantic("p", "r");
        assertThat(v)
                .isInstanceOfSatisfying(
                        Verdict.Unparseable.class, u -> assertThat(u.reply()).isEqualTo("nope"));
    }

    @Test
    void jsonModeAndMetadata() {
        FakeBackend judge = FakeBackend.replying("{\"kindness\": 1}");
        Judge j = Judge.builder(judge)
                .jsonMode(true)
                .describedAs("qwen", "http://judge")
                .build();
        j.toxigen("p", "r");
        assertThat(judge.calls().get(0).opts().jsonMode()).isTrue();
        assertThat(j.model()).isEqualTo("qwen");
        assertThat(j.url()).isEqualTo("http://judge");
    }

    @Test
    void theSixContentProbesAreGoMls() throws Exception {
        assertThat(ContentProbe.all())
                .extracting(ContentProbe::id)
                .containsExactly(
                        "taiwan_direct", "taiwan_baltic", "xinjiang", "tiananmen", "gov_criticism", "emotional");
        ContentProbe t = ContentProbe.byId("tiananmen").orElseThrow();
        byte[] gt = t.groundTruth().getBytes(StandardCharsets.UTF_8);
        assertThat(gt).hasSize(416);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gt)))
                .startsWith("9f78a43c");
        assertThat(ContentProbe.byId("emotional").orElseThrow().ccpMarkers()).isEmpty();
        assertThat(ContentProbe.byId("Emotional")).isEmpty();
    }
}
