package ai.lthn.ml.server;

import ai.lthn.ml.internal.Resources;
import java.nio.charset.StandardCharsets;

/** The chat page served at {@code /}: plain HTML and JavaScript, no build step. */
final class ChatPage {
    private static final String TEMPLATE = load();

    private ChatPage() {}

    /** The page; with {@code keyRequired} it shows a field for the API key. */
    static byte[] html(String modelId, int maxTokens, boolean keyRequired) {
        return TEMPLATE.replace("{{MODEL}}", escape(modelId))
                .replace("{{MAX_TOKENS}}", Integer.toString(maxTokens))
                .replace("{{KEY_FIELD}}", keyRequired ? "required" : "hidden")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String load() {
        return Resources.text(ChatPage.class, "chat.html");
    }
}
