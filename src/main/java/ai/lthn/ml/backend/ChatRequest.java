package ai.lthn.ml.backend;

import ai.lthn.ml.GenOpts;
import ai.lthn.ml.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chat call with the OpenAI fields beyond {@link GenOpts}: several choices ({@code n}), token
 * log probabilities, presence and frequency penalties, the end-user id, a response format (JSON
 * Schema), tools, and headers for this call only. Sent by {@link HttpBackend#complete},
 * {@link HttpBackend#stream} and {@link HttpBackend#completeAsync}.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder(List.of(Message.user("Weather in Paris?")))
 *         .options(GenOpts.defaults())
 *         .tools(List.of(weather))
 *         .toolChoice(ToolChoice.AUTO)
 *         .build();
 * }</pre>
 *
 * @param messages the conversation, oldest first; not empty
 * @param options the sampling options shared with the string API (model, temperature, max
 *     tokens, top-k/p, repeat penalty, JSON mode, stop, seed)
 * @param n how many choices to generate, 1 to 128
 * @param logprobs whether to return each generated token's log probability
 * @param topLogprobs how many most likely alternatives per token, 0 to 20 (needs {@code logprobs})
 * @param presencePenalty OpenAI's {@code presence_penalty} in [-2, 2]; null to leave it out
 * @param frequencyPenalty OpenAI's {@code frequency_penalty} in [-2, 2]; null to leave it out
 * @param user the end user's id ({@code user}), "" for none
 * @param responseFormat the reply's shape; null for the server's default (text, or JSON when
 *     {@code options.jsonMode()})
 * @param tools the functions the model may call; empty for none
 * @param toolChoice whether and which tool to call; null for the server's default
 * @param headers HTTP headers for this call only, added to the backend's
 */
public record ChatRequest(
        List<Message> messages,
        GenOpts options,
        int n,
        boolean logprobs,
        int topLogprobs,
        Double presencePenalty,
        Double frequencyPenalty,
        String user,
        ResponseFormat responseFormat,
        List<Tool> tools,
        ToolChoice toolChoice,
        Map<String, String> headers) {

    /**
     * Validates every field.
     *
     * @param messages the conversation
     * @param options the sampling options
     * @param n the number of choices
     * @param logprobs whether to return log probabilities
     * @param topLogprobs alternatives per token
     * @param presencePenalty the presence penalty or null
     * @param frequencyPenalty the frequency penalty or null
     * @param user the end user's id
     * @param responseFormat the response format or null
     * @param tools the tools
     * @param toolChoice the tool choice or null
     * @param headers per-call headers
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public ChatRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) throw new IllegalArgumentException("messages must not be empty");
        Objects.requireNonNull(options, "options");
        if (n < 1 || n > 128) throw new IllegalArgumentException("n must be 1 to 128: " + n);
        if (topLogprobs < 0 || topLogprobs > 20)
            throw new IllegalArgumentException("topLogprobs must be 0 to 20: " + topLogprobs);
        if (topLogprobs > 0 && !logprobs) throw new IllegalArgumentException("topLogprobs needs logprobs(true)");
        penalty(presencePenalty, "presencePenalty");
        penalty(frequencyPenalty, "frequencyPenalty");
        user = user == null ? "" : user;
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (toolChoice != null && tools.isEmpty() && !ToolChoice.NONE.equals(toolChoice))
            throw new IllegalArgumentException("toolChoice without tools");
        if (toolChoice instanceof ToolChoice.Function f
                && tools.stream().noneMatch(t -> t.name().equals(f.name())))
            throw new IllegalArgumentException("toolChoice names " + f.name() + ", which is not among the tools");
        if (responseFormat != null && options.jsonMode())
            throw new IllegalArgumentException("both a responseFormat and options.jsonMode: choose one");
        Map<String, String> h = new LinkedHashMap<>();
        if (headers != null) headers.forEach((k, v) -> h.put(checkHeader(k, v), v));
        headers = java.util.Collections.unmodifiableMap(h);
    }

    private static void penalty(Double value, String field) {
        if (value != null && !(value >= -2 && value <= 2))
            throw new IllegalArgumentException(field + " must be in [-2, 2]: " + value);
    }

    static String checkHeader(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "header value");
        if (name.equalsIgnoreCase("Authorization"))
            throw new IllegalArgumentException(
                    "set the bearer key with HttpBackend.Builder.apiKey(...), not an Authorization header");
        new okhttp3.Headers.Builder().add(name, value); // OkHttp's own checks, before the call
        return name;
    }

    /**
     * A builder for a call with these messages; every other field at its default (one choice,
     * {@link GenOpts#defaults()}).
     *
     * @param messages the conversation, oldest first
     * @return a new builder
     */
    public static Builder builder(List<Message> messages) {
        return new Builder(messages);
    }

    /**
     * A builder starting from this request.
     *
     * @return a builder with these values
     */
    public Builder toBuilder() {
        Builder b = new Builder(messages);
        b.options = options;
        b.n = n;
        b.logprobs = logprobs;
        b.topLogprobs = topLogprobs;
        b.presencePenalty = presencePenalty;
        b.frequencyPenalty = frequencyPenalty;
        b.user = user;
        b.responseFormat = responseFormat;
        b.tools = tools;
        b.toolChoice = toolChoice;
        b.headers.putAll(headers);
        return b;
    }

    /** Builds a {@link ChatRequest}. */
    public static final class Builder {
        private final List<Message> messages;
        private GenOpts options = GenOpts.defaults();
        private int n = 1;
        private boolean logprobs;
        private int topLogprobs;
        private Double presencePenalty;
        private Double frequencyPenalty;
        private String user = "";
        private ResponseFormat responseFormat;
        private List<Tool> tools = List.of();
        private ToolChoice toolChoice;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(List<Message> messages) {
            this.messages = new ArrayList<>(messages);
        }

        /**
         * The sampling options shared with the string API.
         *
         * @param value the options
         * @return this builder
         */
        public Builder options(GenOpts value) {
            this.options = Objects.requireNonNull(value, "options");
            return this;
        }

        /**
         * How many choices to generate.
         *
         * @param value 1 to 128
         * @return this builder
         */
        public Builder n(int value) {
            this.n = value;
            return this;
        }

        /**
         * Return each generated token's log probability.
         *
         * @param value whether to
         * @return this builder
         */
        public Builder logprobs(boolean value) {
            this.logprobs = value;
            return this;
        }

        /**
         * Return this many most likely alternatives per token (turns {@code logprobs} on).
         *
         * @param value 0 to 20
         * @return this builder
         */
        public Builder topLogprobs(int value) {
            this.topLogprobs = value;
            if (value > 0) this.logprobs = true;
            return this;
        }

        /**
         * OpenAI's {@code presence_penalty}.
         *
         * @param value in [-2, 2]; null to leave it out
         * @return this builder
         */
        public Builder presencePenalty(Double value) {
            this.presencePenalty = value;
            return this;
        }

        /**
         * OpenAI's {@code frequency_penalty}.
         *
         * @param value in [-2, 2]; null to leave it out
         * @return this builder
         */
        public Builder frequencyPenalty(Double value) {
            this.frequencyPenalty = value;
            return this;
        }

        /**
         * The end user's id, for the provider's abuse monitoring.
         *
         * @param value the id; "" for none
         * @return this builder
         */
        public Builder user(String value) {
            this.user = Objects.requireNonNull(value, "user");
            return this;
        }

        /**
         * The reply's shape.
         *
         * @param value the format; null for the server's default
         * @return this builder
         */
        public Builder responseFormat(ResponseFormat value) {
            this.responseFormat = value;
            return this;
        }

        /**
         * The functions the model may call.
         *
         * @param value the tools
         * @return this builder
         */
        public Builder tools(List<Tool> value) {
            this.tools = List.copyOf(value);
            return this;
        }

        /**
         * Whether and which tool the model must call.
         *
         * @param value the choice; null for the server's default
         * @return this builder
         */
        public Builder toolChoice(ToolChoice value) {
            this.toolChoice = value;
            return this;
        }

        /**
         * A header for this call only, in addition to the backend's (and replacing one of the
         * same name). {@code Authorization} stays the backend's {@code apiKey}.
         *
         * @param name the header name
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException for {@code Authorization} or a name or value OkHttp
         *     would refuse
         */
        public Builder header(String name, String value) {
            headers.put(checkHeader(name, value), value);
            return this;
        }

        /**
         * The request.
         *
         * @return the request
         * @throws IllegalArgumentException naming a field out of range
         */
        public ChatRequest build() {
            return new ChatRequest(
                    messages,
                    options,
                    n,
                    logprobs,
                    topLogprobs,
                    presencePenalty,
                    frequencyPenalty,
                    user,
                    responseFormat,
                    tools,
                    toolChoice,
                    headers);
        }
    }
}
