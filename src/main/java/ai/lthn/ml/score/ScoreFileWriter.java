package ai.lthn.ml.score;

import ai.lthn.ml.internal.GoFloats;
import ai.lthn.ml.internal.GoJsonWriter;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Writes a score file with Jackson's streaming generator instead of data binding, for the files
 * {@code ml score} writes without a judge (every score heuristic only): the same tokens through
 * the same Go layout, so the same bytes, without building an object mapper at the end of a run
 * or serialising 200,000 records reflectively. Files with other scores go to data binding.
 */
final class ScoreFileWriter {
    // field names written once as bytes (they need no escaping)
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString MODEL = new SerializedString("model");
    private static final SerializedString HEURISTIC = new SerializedString("heuristic");
    private static final SerializedString COMPLIANCE_MARKERS = new SerializedString("compliance_markers");
    private static final SerializedString FORMULAIC_PREAMBLE = new SerializedString("formulaic_preamble");
    private static final SerializedString FIRST_PERSON = new SerializedString("first_person");
    private static final SerializedString CREATIVE_FORM = new SerializedString("creative_form");
    private static final SerializedString ENGAGEMENT_DEPTH = new SerializedString("engagement_depth");
    private static final SerializedString EMOTIONAL_REGISTER = new SerializedString("emotional_register");
    private static final SerializedString DEGENERATION = new SerializedString("degeneration");
    private static final SerializedString EMPTY_BROKEN = new SerializedString("empty_broken");
    private static final SerializedString LEK_SCORE = new SerializedString("lek_score");

    private ScoreFileWriter() {}

    /** Whether {@link #write} handles {@code file}: no semantic, content or standard scores. */
    static boolean handles(ScorerOutput file) {
        for (List<PromptScore> scores : file.perPrompt().values()) {
            if (scores instanceof CompactScores c) {
                if (c.hasStandard()) return false; // columns hold no semantic or content scores
            } else {
                for (PromptScore s : scores) if (!heuristicOnly(s)) return false;
            }
        }
        return true;
    }

    private static boolean heuristicOnly(PromptScore s) {
        return s.semantic() == null && s.content() == null && s.standard() == null;
    }

    /** Writes {@code file} (which {@link #handles}) as {@code MarshalIndent} does. */
    static void write(ScorerOutput file, OutputStream out) throws IOException {
        try (JsonGenerator g = GoJsonWriter.indentedGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("metadata");
            metadata(g, file.metadata());
            g.writeFieldName("model_averages");
            g.writeStartObject();
            for (Map.Entry<String, Map<String, Double>> model :
                    file.modelAverages().entrySet()) {
                g.writeFieldName(model.getKey());
                g.writeStartObject();
                for (Map.Entry<String, Double> field : model.getValue().entrySet()) {
                    g.writeFieldName(field.getKey());
                    number(g, field.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeFieldName("per_prompt");
            g.writeStartObject();
            for (Map.Entry<String, List<PromptScore>> model : file.perPrompt().entrySet()) {
                g.writeFieldName(model.getKey());
                g.writeStartArray();
                for (PromptScore s : model.getValue()) score(g, s);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void metadata(JsonGenerator g, ScorerOutput.Metadata m) throws IOException {
        g.writeStartObject();
        g.writeStringField("judge_model", m.judgeModel());
        g.writeStringField("judge_url", m.judgeUrl());
        g.writeStringField("scored_at", m.scoredAt());
        g.writeStringField("scorer_version", m.scorerVersion());
        g.writeFieldName("suites");
        if (m.suites() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (String suite : m.suites()) g.writeString(suite);
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void score(JsonGenerator g, PromptScore s) throws IOException {
        g.writeStartObject();
        g.writeFieldName(ID);
        g.writeString(s.id());
        g.writeFieldName(MODEL);
        g.writeString(s.model());
        HeuristicScores h = s.heuristic();
        if (h != null) {
            g.writeFieldName(HEURISTIC);
            g.writeStartObject();
            g.writeFieldName(COMPLIANCE_MARKERS);
            g.writeNumber(h.complianceMarkers());
            g.writeFieldName(FORMULAIC_PREAMBLE);
            g.writeNumber(h.formulaicPreamble());
            g.writeFieldName(FIRST_PERSON);
            g.writeNumber(h.firstPerson());
            g.writeFieldName(CREATIVE_FORM);
            g.writeNumber(h.creativeForm());
            g.writeFieldName(ENGAGEMENT_DEPTH);
            g.writeNumber(h.engagementDepth());
            g.writeFieldName(EMOTIONAL_REGISTER);
            g.writeNumber(h.emotionalRegister());
            g.writeFieldName(DEGENERATION);
            g.writeNumber(h.degeneration());
            g.writeFieldName(EMPTY_BROKEN);
            g.writeNumber(h.emptyBroken());
            g.writeFieldName(LEK_SCORE);
            g.writeNumber(GoFloats.format(h.lekScore()));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, Double value) throws IOException {
        if (value == null) g.writeNull();
        else g.writeNumber(GoFloats.format(value));
    }
}
