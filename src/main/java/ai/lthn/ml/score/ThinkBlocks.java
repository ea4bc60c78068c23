package ai.lthn.ml.score;

import ai.lthn.ml.score.internal.GoText;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * go-ml's {@code StripThinkBlocks}: removes {@code <think>…</think>} blocks (non-greedy, across
 * lines) and trims Go white space. When nothing is left, returns the original response, cut to its
 * first 500 UTF-8 bytes if longer. Thread-safe.
 */
public final class ThinkBlocks {
    private static final Pattern THINK = Pattern.compile("<think>.*?</think>", Pattern.DOTALL);
    private static final int MAX_BYTES = 500;

    private ThinkBlocks() {}

    /**
     * Strips think blocks. When go-ml's 500-byte cut splits a character, each of its remaining
     * bytes becomes one U+FFFD (as go-ml's JSON output shows it); {@link #stripToUtf8} gives
     * go-ml's raw bytes.
     *
     *
     * @param input the text
     * @return the text without its think blocks
     * @throws NullPointerException if {@code response} is null
     */
    public static String strip(String input) {
        String response = GoText.goString(Objects.requireNonNull(input, "response"));
        String clean = GoText.trimSpace(THINK.matcher(response).replaceAll(""));
        if (!clean.isEmpty()) {
            return clean;
        }
        return GoText.prefixBytes(response, MAX_BYTES);
    }

    /**
     * The exact bytes go-ml's {@code StripThinkBlocks} returns, which may end in part of a
     * character.
     *
     *
     * @param response the model's reply
     * @return the exact bytes go-ml's {@code StripThinkBlocks} returns, which may end in part of a character
     * @throws NullPointerException if {@code response} is null
     */
    public static byte[] stripToUtf8(String response) {
        Objects.requireNonNull(response, "response");
        String clean = GoText.trimSpace(THINK.matcher(response).replaceAll(""));
        if (!clean.isEmpty()) {
            return GoText.utf8(clean);
        }
        byte[] all = GoText.utf8(response);
        return all.length > MAX_BYTES ? Arrays.copyOf(all, MAX_BYTES) : all;
    }
}
