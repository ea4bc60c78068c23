package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoRegex;
import ai.lthn.ml.score.internal.GoText;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * go-ml's extraction of a judge's JSON object from free text: first a {@code {…}} inside a
 * markdown code fence, else the first {@code {} up to its brace-balanced {@code }} (braces in
 * strings are not special). Thread-safe.
 */
public final class JudgeJson {
    private static final Pattern CODE_BLOCK = GoRegex.compile("(?s)```(?:json)?\\s*\\n?(\\{.*?\\})\\s*\\n?```");

    private JudgeJson() {}

    /**
     * The first JSON object in {@code text}, or {@code ""} when there is none.
     *
     *
     * @param input the text
     * @return the first JSON object in {@code text}, or {@code ""} when there is none
     * @throws NullPointerException if {@code text} is null
     */
    public static String extract(String input) {
        String text = GoText.goString(Objects.requireNonNull(input, "text"));
        Matcher m = CODE_BLOCK.matcher(text);
        if (m.find()) {
            return GoText.trimSpace(m.group(1));
        }
        int start = text.indexOf('{');
        if (start < 0) {
            return "";
        }
        int depth = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(start, i + 1);
            }
        }
        return "";
    }
}
