package ai.lthn.ml.score;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hostile lines through each reader of {@link JsonReaders}, against what Go's {@code
 * encoding/json} does with them (go-ml's {@code json.Unmarshal} of a line into its {@code
 * Response}; the expected column was printed by a Go 1.19 program doing exactly that). Prints one
 * row per line and reader: the fields, or the reader's exception, and whether it matches Go.
 *
 * <pre>java -cp target/benchmarks.jar ai.lthn.ml.score.JsonReadersStrictness</pre>
 */
public final class JsonReadersStrictness {
    private JsonReadersStrictness() {}

    /** A hostile line and Go's answer ({@code error} when Go refuses it). */
    record Case(String name, byte[] line, String go) {}

    static final Map<String, JsonReaders.Reader> CANDIDATES = new LinkedHashMap<>();

    static {
        CANDIDATES.put("jackson-binding", new JsonReaders.JacksonBinding());
        CANDIDATES.put("jackson-streaming", new JsonReaders.JacksonStreaming());
        CANDIDATES.put("project (ResponseReader)", new JsonReaders.ProjectReader());
        CANDIDATES.put("dsl-json", new JsonReaders.DslJsonDecoder());
        CANDIDATES.put("jsoniter", new JsonReaders.JsoniterDecoder());
        CANDIDATES.put("fastjson2", new JsonReaders.Fastjson2Decoder());
        CANDIDATES.put("LineDecoder (declined = left to data binding)", new JsonReaders.ByteDecoder());
    }

    static Case[] cases() {
        return new Case[] {
            text("plain", "{\"id\":\"a\",\"model\":\"m\",\"response\":\"r\"}", "a|m|r"),
            text("key case", "{\"ID\":\"a\",\"Model\":\"m\",\"RESPONSE\":\"r\"}", "a|m|r"),
            text("key fold ſ", "{\"id\":\"a\",\"model\":\"m\",\"re\u017fpon\u017fe\":\"r\"}", "a|m|r"),
            text("duplicate key", "{\"id\":\"a\",\"id\":\"b\",\"model\":\"m\",\"response\":\"r\"}", "b|m|r"),
            text("null after value", "{\"id\":\"a\",\"id\":null,\"model\":\"m\",\"response\":\"r\"}", "a|m|r"),
            text("number for string", "{\"id\":1,\"model\":\"m\",\"response\":\"r\"}", "error"),
            text("bool for string", "{\"id\":true,\"model\":\"m\",\"response\":\"r\"}", "error"),
            bytes(
                    "invalid UTF-8",
                    concat(
                            "{\"id\":\"a",
                            new byte[] {(byte) 0xff, (byte) 0xfe},
                            "b\",\"model\":\"m\",\"response\":\"r\"}"),
                    "a\ufffd\ufffdb|m|r"),
            text("lone surrogate", "{\"id\":\"\\ud800x\",\"model\":\"m\",\"response\":\"r\"}", "\ufffdx|m|r"),
            text("data after", "{\"id\":\"a\",\"model\":\"m\",\"response\":\"r\"} x", "error"),
            text("two values", "{\"id\":\"a\",\"model\":\"m\",\"response\":\"r\"}{\"id\":\"b\"}", "error"),
            text("trailing comma", "{\"id\":\"a\",\"model\":\"m\",\"response\":\"r\",}", "error"),
            text("single quotes", "{'id':'a','model':'m','response':'r'}", "error"),
            text("leading zero", "{\"id\":\"a\",\"model\":\"m\",\"response\":\"r\",\"n\":01}", "error"),
        };
    }

    private static Case text(String name, String line, String go) {
        return new Case(name, line.getBytes(StandardCharsets.UTF_8), go);
    }

    private static Case bytes(String name, byte[] line, String go) {
        return new Case(name, line, go);
    }

    private static byte[] concat(String a, byte[] b, String c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(b);
        out.writeBytes(c.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** What a reader makes of a line: {@code id|model|response}, {@code error}, or {@code declined}. */
    static String outcome(JsonReaders.Reader d, byte[] line) {
        try {
            JsonReaders.Fields f = d.decode(line);
            return f == null ? "declined" : f.id() + "|" + f.model() + "|" + f.response();
        } catch (Exception | StackOverflowError e) {
            return "error";
        }
    }

    private static String show(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : c);
        return b.toString();
    }

    /**
     * Prints the table.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        for (Case c : cases()) {
            out.append(c.name()).append(" (Go: ").append(show(c.go())).append(")\n");
            CANDIDATES.forEach((name, d) -> {
                String got = outcome(d, c.line());
                out.append("  ")
                        .append(got.equals(c.go()) ? "ok   " : got.equals("declined") ? "decl " : "DIFF ")
                        .append(name)
                        .append(": ")
                        .append(show(got))
                        .append('\n');
            });
        }
        System.out.print(out);
    }
}
