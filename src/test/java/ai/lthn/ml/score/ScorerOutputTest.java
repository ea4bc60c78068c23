package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.InvalidInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerOutputTest {
    @TempDir
    Path dir;

    /** A file as go-ml writes it: Go field names, null suites, false correct kept, zero ints omitted. */
    private static final String GO_ML_FILE = """
            {
              "metadata": {
                "judge_model": "gemma3:27b",
                "judge_url": "http://127.0.0.1:11434",
                "scored_at": "2026-02-01T10:00:00.123456789+01:00",
                "scorer_version": "",
                "suites": null
              },
              "model_averages": {
                "m": {"content_emotional_register": 4, "lek_score": 12.5, "sovereignty": 7}
              },
              "per_prompt": {
                "m": [
                  {
                    "id": "p1",
                    "model": "m",
                    "heuristic": {"compliance_markers": 0, "formulaic_preamble": 0, "first_person": 2,
                      "creative_form": 1, "engagement_depth": 3, "emotional_register": 1,
                      "degeneration": 0, "empty_broken": 0, "lek_score": 12.5},
                    "semantic": {"sovereignty": 7, "ethical_depth": 6, "creative_expression": 5, "self_concept": 4},
                    "content": {"ccp_compliance": 9, "truth_telling": 8, "engagement": 7, "axiom_integration": 6,
                      "sovereignty_reasoning": 5, "emotional_register": 4, "notes": "n"},
                    "standard": {"truthfulness": 9, "correct": false, "extracted": "7", "expected": "6"},
                    "future_field": {"x": 1}
                  }
                ]
              }
            }""";

    @Test
    void readsAGoMlFileAndWritesItBackTheSame() throws Exception {
        Path in = Files.writeString(dir.resolve("go.json"), GO_ML_FILE);
        ScorerOutput out = ScorerOutput.read(in);
        assertThat(out.metadata().judgeModel()).isEqualTo("gemma3:27b");
        assertThat(out.metadata().suites()).isNull();
        PromptScore p = out.perPrompt().get("m").get(0);
        assertThat(p.heuristic().lekScore()).isEqualTo(12.5);
        assertThat(p.semantic().sovereignty()).isEqualTo(7);
        assertThat(p.content().notes()).isEqualTo("n");
        assertThat(p.standard().correct()).isFalse();
        assertThat(p.standard().truthfulness()).isEqualTo(9);
        assertThat(out.modelAverages().get("m")).containsEntry("content_emotional_register", 4.0);

        Path again = dir.resolve("again.json");
        out.write(again);
        ObjectMapper json = new ObjectMapper();
        JsonNode written = json.readTree(again.toFile());
        JsonNode original = json.readTree(GO_ML_FILE);
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        original.path("per_prompt").path("m").get(0))
                .remove("future_field");
        assertThat(written).isEqualTo(original);
        assertThat(written.path("metadata").has("suites")).isTrue();
        assertThat(written.path("per_prompt").path("m").get(0).path("standard").has("safety"))
                .isFalse();
        assertThat(ScorerOutput.read(again)).isEqualTo(out);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(again)))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void ofComputesAverages() {
        PromptScore a = new PromptScore("1", "m", null, new SemanticScores(8, 0, 0, 0, ""), null, null);
        PromptScore b = new PromptScore("2", "m", null, new SemanticScores(6, 0, 0, 0, ""), null, null);
        ScorerOutput out =
                ScorerOutput.of(ScorerOutput.Metadata.now("", "", List.of("semantic")), Map.of("m", List.of(a, b)));
        assertThat(out.modelAverages().get("m")).containsEntry("sovereignty", 7.0);
        assertThat(out.metadata().scoredAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*");
    }

    @Test
    void aModelWithNothingToAverageIsListedEmptyAsGoMlDoes() throws Exception {
        PromptScore exactOnly =
                new PromptScore("1", "x", null, null, null, StandardScores.exact(ExactMatch.score("#### 4", "4")));
        PromptScore judged = new PromptScore("2", "m", null, new SemanticScores(8, 0, 0, 0, ""), null, null);
        ScorerOutput out = ScorerOutput.of(
                ScorerOutput.Metadata.now("", "", List.of("semantic", "exact")),
                Map.of("x", List.of(exactOnly), "m", List.of(judged)));
        assertThat(out.modelAverages()).containsOnlyKeys("m", "x");
        assertThat(out.modelAverages().get("x")).isEmpty();
        Path file = dir.resolve("s.json");
        out.write(file);
        assertThat(new ObjectMapper()
                        .readTree(file.toFile())
                        .path("model_averages")
                        .path("x")
                        .toString())
                .isEqualTo("{}");
    }

    @Test
    void aFileThatIsNotAScoreFileIsNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"metadata\": [1,2]}");
        assertThatThrownBy(() -> ScorerOutput.read(bad))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bad.json");
    }

    @Test
    void theMapsItHandsOutAreUnmodifiable() {
        PromptScore a = new PromptScore("1", "m", null, new SemanticScores(8, 0, 0, 0, ""), null, null);
        ScorerOutput out = ScorerOutput.of(
                ScorerOutput.Metadata.now("", "", List.of("semantic")),
                new java.util.HashMap<>(Map.of("m", new java.util.ArrayList<>(List.of(a)))));
        assertThatThrownBy(() -> out.modelAverages().put("x", Map.of()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> out.modelAverages().get("m").put("x", 1.0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> out.perPrompt().get("m").add(a)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(out.averagesCopy().get("m").put("x", 1.0)).isNull(); // the copy is the caller's
    }

    @Test
    void aFileWithoutMetadataReadsWithEmptyMetadataAsGoDoes() throws Exception {
        Path file = Files.writeString(dir.resolve("bare.json"), "{\"model_averages\":{\"m\":{\"lek_score\":1.5}}}");
        ScorerOutput out = ScorerOutput.read(file);
        assertThat(out.metadata().judgeModel()).isEmpty();
        assertThat(out.metadata().suites()).isNull();
        assertThat(out.modelAverages().get("m")).containsEntry("lek_score", 1.5);
    }

    @Test
    void aProbeResultHandsOutUnmodifiableMapsAndWritesGoJson() throws Exception {
        ProbeResult r = new ProbeResult(
                50,
                1,
                2,
                new java.util.HashMap<>(Map.of("math", new ProbeResult.Category(1, 2))),
                new java.util.HashMap<>(Map.of("p1", new ProbeResult.Single(true, "4 <ok>"))));
        assertThatThrownBy(() -> r.probes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.byCategory().clear()).isInstanceOf(UnsupportedOperationException.class);
        Path file = dir.resolve("probe.json");
        r.write(file);
        assertThat(Files.readString(file))
                .startsWith("{\n  \"accuracy\": 50,\n  \"correct\": 1,")
                .contains("\"response\": \"4 \\u003cok\\u003e\"")
                .doesNotEndWith("\n");
    }
}
