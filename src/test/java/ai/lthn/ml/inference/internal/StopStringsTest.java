package ai.lthn.ml.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.inference.FinishReason;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.Token;
import ai.lthn.ml.inference.TokenStream;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {
    private static List<String> pieces(TokenStream s) {
        List<String> out = new ArrayList<>();
        while (s.hasNext()) out.add(s.next().text());
        return out;
    }

    private static TokenStream model(String... tokens) {
        return ScriptedTextModel.of(tokens).generate("x", GenerateConfig.defaults());
    }

    @Test
    void theTextEndsBeforeAStopStringSpanningTokensAndNoPartOfItIsEmitted() {
        TokenStream s = StopStrings.apply(model("Hello", " wor", "ld", "\n", "\nmore", " text"), List.of("\n\n"));
        List<String> out = pieces(s);
        assertThat(String.join("", out)).isEqualTo("Hello world");
        assertThat(out).noneMatch(t -> t.contains("\n"));
        assertThat(s.finishReason()).isEqualTo(FinishReason.STOP);
        s.close();
    }

    @Test
    void theEarliestOfSeveralStopsWinsAndAHeldBackPrefixThatNeverCompletesIsEmitted() {
        TokenStream s = StopStrings.apply(model("a<", "b", "c", "END", "d"), List.of("<x>", "END"));
        assertThat(String.join("", pieces(s))).isEqualTo("a<bc");
        TokenStream t = StopStrings.apply(model("tail <"), List.of("<x>"));
        assertThat(pieces(t)).containsExactly("tail ", "<");
        assertThat(t.finishReason()).isNotEqualTo(FinishReason.UNKNOWN);
    }

    @Test
    void withoutStopStringsTheModelsStreamIsReturnedAsItIs() {
        TokenStream inner = model("a");
        assertThat(StopStrings.apply(inner, List.of())).isSameAs(inner);
        assertThat(Token.of("a").text()).isEqualTo("a");
    }
}
