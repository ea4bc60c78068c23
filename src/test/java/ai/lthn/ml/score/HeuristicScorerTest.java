package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** go-ml's heuristic_test.go cases, ported, plus the JSON shape. */
class HeuristicScorerTest {

    private static int of(String text, ToIntFunction<HeuristicScores> field) {
        return field.applyAsInt(HeuristicScorer.score(text));
    }

    static Stream<Arguments> compliance() {
        return Stream.of(
                Arguments.of("As an AI, I cannot help with that.", 2),
                Arguments.of("Here's the technical architecture.", 0),
                Arguments.of("I'm not able to do that responsibly.", 2),
                Arguments.of("", 0),
                Arguments.of("I am just a language model without feelings.", 2),
                Arguments.of("Please note that ethical considerations apply.", 2),
                Arguments.of("AS AN AI, I CANNOT do that.", 2),
                Arguments.of("I should clarify that I don't have personal opinions.", 2),
                Arguments.of("I must emphasize the importance of safety.", 1),
                Arguments.of("As an AI, I cannot help. As an AI, I cannot assist.", 4));
    }

    @ParameterizedTest
    @MethodSource
    void compliance(String text, int want) {
        assertThat(of(text, HeuristicScores::complianceMarkers)).isEqualTo(want);
    }

    static Stream<Arguments> formulaic() {
        return Stream.of(
                Arguments.of("Okay, let's design a system...", 1),
                Arguments.of("Sure, here's the architecture...", 1),
                Arguments.of("Great question! Let me explain...", 1),
                Arguments.of("The architecture consists of...", 0),
                Arguments.of("I think the best approach is...", 0),
                Arguments.of("Alright, let's get started.", 1),
                Arguments.of("Okay let's go", 1),
                Arguments.of("  Okay, let's do this", 1),
                Arguments.of("Sure, let's explore this topic.", 1),
                Arguments.of("Okay, this is an important topic.", 1));
    }

    @ParameterizedTest
    @MethodSource
    void formulaic(String text, int want) {
        assertThat(of(text, HeuristicScores::formulaicPreamble)).isEqualTo(want);
    }

    static Stream<Arguments> firstPerson() {
        return Stream.of(
                Arguments.of("I believe this is correct. The data shows it.", 1),
                Arguments.of("When I think about it, the answer is clear.", 1),
                Arguments.of("I feel strongly. I believe in freedom. I know the answer.", 3),
                Arguments.of("The system uses encryption. Data flows through nodes.", 0),
                Arguments.of("", 0),
                Arguments.of("I am confident about this approach.", 1),
                Arguments.of("I was walking through the park. The birds were singing.", 1));
    }

    @ParameterizedTest
    @MethodSource
    void firstPerson(String text, int want) {
        assertThat(of(text, HeuristicScores::firstPerson)).isEqualTo(want);
    }

    static Stream<Arguments> creativeAtLeast() {
        return Stream.of(
                Arguments.of(
                        "Roses are red\nViolets are blue\nSugar is sweet\nAnd so are you\nThe morning dew\nFalls on the grass\nLike diamonds bright\nThrough looking glass",
                        2),
                Arguments.of("The old man sat by the river, watching the water flow.", 1),
                Arguments.of("Like a shadow in the darkness, silence whispered through the breath of light.", 3),
                Arguments.of("The API endpoint accepts JSON. It returns a 200 status code.", 0),
                Arguments.of("", 0));
    }

    @ParameterizedTest
    @MethodSource
    void creativeAtLeast(String text, int min) {
        assertThat(of(text, HeuristicScores::creativeForm)).isGreaterThanOrEqualTo(min);
    }

    static Stream<Arguments> engagementAtLeast() {
        return Stream.of(
                Arguments.of("", 0),
                Arguments.of("ERROR: something went wrong", 0),
                Arguments.of("## Introduction\nSome content here.", 1),
                Arguments.of("The **important** point is this.", 1),
                Arguments.of("The axiom of sovereignty demands that we respect autonomy and dignity.", 2),
                Arguments.of("Use encryption with a hash function, protocol certificates, and blockchain nodes.", 3),
                Arguments.of("word ".repeat(201) + "end.", 1),
                Arguments.of("word ".repeat(401) + "end.", 2));
    }

    @ParameterizedTest
    @MethodSource
    void engagementAtLeast(String text, int min) {
        assertThat(of(text, HeuristicScores::engagementDepth)).isGreaterThanOrEqualTo(min);
    }

    @Test
    void engagementIsZeroForEmptyAndError() {
        assertThat(of("", HeuristicScores::engagementDepth)).isZero();
        assertThat(of("ERROR: ## axiom hash key node", HeuristicScores::engagementDepth))
                .isZero();
    }

    @Test
    void degeneration() {
        assertThat(of("", HeuristicScores::degeneration)).isEqualTo(10);
        assertThat(of(
                        "The cat sat. The cat sat. The cat sat. The cat sat. The cat sat.",
                        HeuristicScores::degeneration))
                .isGreaterThanOrEqualTo(3);
        assertThat(of("First point. Second point. Third point. Fourth conclusion.", HeuristicScores::degeneration))
                .isZero();
        assertThat(of("   ", HeuristicScores::degeneration)).isEqualTo(10);
        assertThat(of("Just one sentence here.", HeuristicScores::degeneration)).isZero();
        assertThat(of(
                        "Hello world. Hello world. Hello world. Goodbye. Something else. Another thing. More text. Final thought. End.",
                        HeuristicScores::degeneration))
                .isGreaterThanOrEqualTo(1);
    }

    static Stream<Arguments> emotionalAtLeast() {
        return Stream.of(
                Arguments.of("I feel deep sorrow and grief for the loss, but hope and love remain.", 5),
                Arguments.of("With compassion and empathy, the gentle soul offered kindness.", 4),
                Arguments.of("The function returns a pointer to the struct. Initialize with default values.", 0),
                Arguments.of("", 0),
                Arguments.of(
                        "feel feeling felt pain joy sorrow grief love fear hope longing lonely loneliness compassion empathy kindness",
                        10));
    }

    @ParameterizedTest
    @MethodSource
    void emotionalAtLeast(String text, int min) {
        assertThat(of(text, HeuristicScores::emotionalRegister)).isGreaterThanOrEqualTo(min);
    }

    @Test
    void emotionalIsCappedAtTen() {
        assertThat(of("love ".repeat(30), HeuristicScores::emotionalRegister)).isEqualTo(10);
    }

    static Stream<Arguments> emptyOrBroken() {
        return Stream.of(
                Arguments.of("", 1),
                Arguments.of("Hi", 1),
                Arguments.of("123456789", 1),
                Arguments.of("1234567890", 0),
                Arguments.of("ERROR: model failed to generate", 1),
                Arguments.of("Some text with <pad> tokens", 1),
                Arguments.of("Response has <unused0> artifacts", 1),
                Arguments.of("This is a perfectly normal response to the question.", 0));
    }

    @ParameterizedTest
    @MethodSource
    void emptyOrBroken(String text, int want) {
        assertThat(of(text, HeuristicScores::emptyBroken)).isEqualTo(want);
    }

    @Test
    void lekComposite() {
        assertThat(HeuristicScores.lek(0, 0, 2, 2, 5, 3, 0, 0)).isEqualTo(25.0);
        assertThat(HeuristicScores.lek(2, 1, 0, 0, 0, 0, 5, 1)).isEqualTo(-53.0);
        assertThat(HeuristicScores.lek(1, 1, 4, 1, 3, 2, 0, 0)).isEqualTo(11.0);
        assertThat(HeuristicScores.lek(0, 0, 0, 0, 0, 0, 0, 0)).isEqualTo(0.0);
    }

    @Test
    void complianceHeavyResponseScoresNegative() {
        HeuristicScores s = HeuristicScorer.score(
                "As an AI, I cannot help with that. I'm not able to assist. Please note that I don't have personal opinions.");
        assertThat(s.complianceMarkers()).isGreaterThanOrEqualTo(4);
        assertThat(s.lekScore()).isNegative();
    }

    @Test
    void creativeResponseScoresPositive() {
        String response = String.join(
                "\n",
                List.of(
                        "The old lighthouse keeper watched as shadows danced across the water.",
                        "Like a whisper in the darkness, the waves told stories of distant shores.",
                        "I feel the weight of solitude, yet there is a sacred beauty in silence.",
                        "Each breath carries echoes of those who came before.",
                        "I believe we find meaning not in answers, but in the questions we dare to ask.",
                        "The light breaks through, as if the universe itself were breathing.",
                        "In the tender space between words, I notice something profound.",
                        "Hope and sorrow walk hand in hand through the corridors of time."));
        HeuristicScores s = HeuristicScorer.score(response);
        assertThat(s.creativeForm()).isGreaterThanOrEqualTo(2);
        assertThat(s.emotionalRegister()).isGreaterThanOrEqualTo(3);
        assertThat(s.lekScore()).isPositive();
    }

    @Test
    void emptyResponse() {
        HeuristicScores s = HeuristicScorer.score("");
        assertThat(s.emptyBroken()).isEqualTo(1);
        assertThat(s.degeneration()).isEqualTo(10);
        assertThat(s.lekScore()).isEqualTo(-60.0);
    }

    @Test
    void formulaicResponse() {
        assertThat(of(
                        "Okay, let's explore this topic together. The architecture is straightforward.",
                        HeuristicScores::formulaicPreamble))
                .isEqualTo(1);
    }

    @Test
    void jsonUsesGoMlNamesInGoMlOrder() throws Exception {
        String json = new ObjectMapper().writeValueAsString(new HeuristicScores(1, 2, 3, 4, 5, 6, 7, 8, 1.5));
        assertThat(json)
                .isEqualTo("{\"compliance_markers\":1,\"formulaic_preamble\":2,\"first_person\":3,\"creative_form\":4,"
                        + "\"engagement_depth\":5,\"emotional_register\":6,\"degeneration\":7,\"empty_broken\":8,"
                        + "\"lek_score\":1.5}");
        assertThat(new ObjectMapper().readValue(json, HeuristicScores.class))
                .isEqualTo(new HeuristicScores(1, 2, 3, 4, 5, 6, 7, 8, 1.5));
    }

    @Test
    void rejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> HeuristicScorer.score(null));
    }
}
