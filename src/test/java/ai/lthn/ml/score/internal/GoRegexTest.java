package ai.lthn.ml.score.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Go RE2 subset translation: each construct where Java's defaults differ. */
class GoRegexTest {
    private static boolean find(String go, String text) {
        return GoRegex.compile(go).matcher(text).find();
    }

    @Test
    void wordBoundaryIsAscii() {
        assertThat(find("\\bcat\\b", "écat")).isTrue();
        assertThat(find("\\bcat\\b", "_cat")).isFalse();
        assertThat(find("\\bcat\\b", "cat9")).isFalse();
        assertThat(find("\\bcat\\b", "cat\u00E9")).isTrue();
    }

    @Test
    void caseFoldingIsUnicodeSimpleFolding() {
        assertThat(find("(?i)\\bsky\\b", "\u017F\u212AY")).isFalse(); // \b before ſ fails
        assertThat(find("(?i)sky", "\u017F\u212AY")).isTrue();
        assertThat(find("(?i)it", "\u0131T")).isFalse();
        assertThat(find("(?i)it", "\u0130T")).isFalse();
        assertThat(find("(?i)it", "IT")).isTrue();
        assertThat(find("it", "IT")).isFalse();
    }

    @Test
    void classesAndAnchors() {
        assertThat(find("a\\sb", "a\u000Bb")).isFalse();
        assertThat(find("a\\sb", "a\fb")).isTrue();
        assertThat(find("\\d", "\u0663")).isFalse();
        assertThat(find("a.b", "a\rb")).isTrue();
        assertThat(find("a.b", "a\nb")).isFalse();
        assertThat(find("(?s)a.b", "a\nb")).isTrue();
        assertThat(find("^b", "a\nb")).isFalse();
        assertThat(find("[\\s=]x", "=x")).isTrue();
        assertThat(find("[^a]", "a")).isFalse();
    }

    @Test
    void unsupportedSyntaxIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> GoRegex.compile("(?i)[ab]"));
        assertThatIllegalArgumentException().isThrownBy(() -> GoRegex.compile("\\pL"));
        assertThat(GoRegex.translate("x")).isEqualTo(Pattern.compile("x").pattern());
    }
}
