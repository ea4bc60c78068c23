package ai.lthn.ml.backend;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * Event-stream bodies shaped like the servers users run (llama.cpp server, vLLM, Ollama), and a
 * scripted body for faults: write and flush, stall until released, or break the connection.
 */
final class SseBodies {
    private SseBodies() {}

    static String llamaCpp(String... tokens) {
        StringBuilder sb = new StringBuilder();
        sb.append(event("{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":null}}],\"created\":1,\"id\":\"chatcmpl-1\",\"model\":\"gemma\","
                + "\"system_fingerprint\":\"b5000\",\"object\":\"chat.completion.chunk\"}"));
        for (String t : tokens)
            sb.append(
                    event(
                            "{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"" + t
                                    + "\"}}],\"created\":1,\"id\":\"chatcmpl-1\",\"model\":\"gemma\",\"object\":\"chat.completion.chunk\"}"));
        sb.append(event("{\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],\"created\":1,"
                + "\"id\":\"chatcmpl-1\",\"model\":\"gemma\",\"object\":\"chat.completion.chunk\"}"));
        sb.append(event("{\"choices\":[],\"created\":1,\"id\":\"chatcmpl-1\",\"model\":\"gemma\","
                + "\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":" + tokens.length
                + ",\"prompt_tokens\":9,\"total_tokens\":" + (9 + tokens.length) + "},"
                + "\"timings\":{\"prompt_n\":9,\"predicted_n\":" + tokens.length + "}}"));
        sb.append(event("[DONE]"));
        return sb.toString();
    }

    static String vllm(String finishReason, String... tokens) {
        StringBuilder sb = new StringBuilder();
        String head = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"qwen\",";
        sb.append(event(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}"));
        for (String t : tokens)
            sb.append(event(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + t
                    + "\"},\"logprobs\":null,\"finish_reason\":null}]}"));
        sb.append(event(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"logprobs\":null,"
                + "\"finish_reason\":\"" + finishReason + "\",\"stop_reason\":null}]}"));
        sb.append(event(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":" + (5 + tokens.length)
                + ",\"completion_tokens\":" + tokens.length + "}}"));
        sb.append("data: [DONE]\r\n\r\n");
        return sb.toString();
    }

    /** Ollama's OpenAI compatibility layer: no usage chunk unless asked, role on every delta. */
    static String ollama(String... tokens) {
        StringBuilder sb = new StringBuilder();
        String head =
                "{\"id\":\"chatcmpl-3\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gemma3:1b\","
                        + "\"system_fingerprint\":\"fp_ollama\",";
        for (String t : tokens)
            sb.append(event(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + t
                    + "\"},\"finish_reason\":null}]}"));
        sb.append(event(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":\"stop\"}]}"));
        sb.append(event("[DONE]"));
        return sb.toString();
    }

    static String event(String data) {
        return "data: " + data + "\n\n";
    }

    static String chunk(String token) {
        return event("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + token + "\"},\"finish_reason\":null}]}");
    }

    static MockResponse sse(String body) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/event-stream")
                .body(body)
                .build();
    }

    static MockResponse sse(Script script) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/event-stream")
                .body(script)
                .build();
    }

    /** A chunked body written step by step, each step flushed. */
    static final class Script implements MockResponseBody {
        private final List<Object> steps = new ArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);

        Script write(String text) {
            steps.add(text);
            return this;
        }

        /** Stops writing until {@link #release} is counted down (or 30 s pass). */
        Script stall() {
            steps.add(release);
            return this;
        }

        /** Breaks the connection at this point. */
        Script reset() {
            steps.add(new IOException("connection reset by the test"));
            return this;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            for (Object step : steps) {
                if (step instanceof String s) {
                    sink.writeUtf8(s);
                    sink.flush();
                } else if (step instanceof CountDownLatch l) {
                    try {
                        l.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                } else if (step instanceof IOException e) {
                    throw e;
                }
            }
        }
    }
}
