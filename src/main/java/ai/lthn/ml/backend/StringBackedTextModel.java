package ai.lthn.ml.backend;

import ai.lthn.ml.Message;
import ai.lthn.ml.inference.ClassifyResult;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.ModelInfo;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.TokenStream;
import java.util.List;

/**
 * What the TextModels over a server or a string backend share (go-ml's reverse bridges):
 * {@code generate} is a one-message chat, no {@code classify} (no next-token logits), a sequential
 * batch that keeps each prompt's failure in its own result, and architecture "http".
 */
abstract class StringBackedTextModel implements TextModel {

    @Override
    public TokenStream generate(String prompt, GenerateConfig config) {
        return chat(List.of(Message.user(prompt)), config);
    }

    /** Always fails: a chat endpoint gives no next-token logits. */
    @Override
    public List<ClassifyResult> classify(List<String> prompts, GenerateConfig config) {
        throw new UnsupportedOperationException(classifyUnsupported());
    }

    /** go-ml's message, "classify not supported by HTTP backend". */
    String classifyUnsupported() {
        return "classify not supported by HTTP backend";
    }

    @Override
    public ModelInfo info() {
        return ModelInfo.of("http");
    }
}
