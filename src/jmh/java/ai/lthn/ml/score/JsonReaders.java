package ai.lthn.ml.score;

import ai.lthn.ml.internal.Json;
import com.alibaba.fastjson2.JSONReader;
import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.jsoniter.JsonIterator;
import com.jsoniter.ValueType;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The JVM JSON readers compared on {@code ml score}'s input lines (issue 18): each decodes one
 * line into the three fields the heuristic suite needs. The hand-written ones (dsl-json, jsoniter,
 * fastjson2) apply the same rules in the same loop, so that they differ only in the library's
 * tokenizer: keys compared with Go's case folding ({@link #field}), a repeated key overwrites
 * (last wins), a value must be a string or {@code null} ({@code null} leaves the field as it was,
 * as Go does), other keys skipped, nothing but white space after the object. Bench code only: the
 * three libraries are dependencies of the {@code bench} profile, never of the library.
 */
final class JsonReaders {
    private JsonReaders() {}

    /** The fields {@code ml score --suites heuristic} reads from a line. */
    record Fields(String id, String model, String response) {
        Fields with(int field, String value) {
            return switch (field) {
                case 0 -> new Fields(value, model, response);
                case 1 -> new Fields(id, value, response);
                default -> new Fields(id, model, value);
            };
        }
    }

    /** One reader: decodes one whole line (UTF-8 bytes, no newline); throws on what it refuses. */
    interface Reader {
        /**
         * Decodes a line.
         *
         * @return the fields, or null when the reader declines the line (Jackson streaming only)
         */
        Fields decode(byte[] line) throws Exception;
    }

    private static final Fields EMPTY = new Fields("", "", "");

    /**
     * The field index of a key: 0 id, 1 model, 2 response, -1 another key. Go's {@code
     * encoding/json} matches keys with {@code bytes.EqualFold}: ASCII case plus the two folds onto
     * ASCII letters these names contain, ſ (U+017F) → s and K (U+212A) → k.
     */
    static int field(String key) {
        if (eqFold(key, "id")) return 0;
        if (eqFold(key, "model")) return 1;
        if (eqFold(key, "response")) return 2;
        return -1;
    }

    private static boolean eqFold(String key, String lower) {
        if (key.length() != lower.length()) return false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            else if (c == '\u017f') c = 's';
            else if (c == '\u212a') c = 'k';
            if (c != lower.charAt(i)) return false;
        }
        return true;
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') return false;
        return true;
    }

    /** Jackson data binding, as {@code ResponseReader} binds a line it cannot stream. */
    static final class JacksonBinding implements Reader {
        private static final ObjectReader READER =
                Json.goReader(Response.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

        @Override
        public Fields decode(byte[] line) throws IOException {
            Response r = READER.readValue(line);
            return new Fields(r.id(), r.model(), r.response());
        }
    }

    /** Today's streaming decoder ({@link ResponseDecoder}, Jackson's {@code JsonParser}). */
    static final class JacksonStreaming implements Reader {
        @Override
        public Fields decode(byte[] line) {
            Response r = ResponseDecoder.decode(line, 0, line.length);
            return r == null ? null : new Fields(r.id(), r.model(), r.response());
        }
    }

    /** The whole of today's path: the reader's UTF-8 check, the streaming decoder, data binding for what it declines. */
    static final class ProjectReader implements Reader {
        @Override
        public Fields decode(byte[] line) {
            try (ResponseReader r = ResponseReader.of(new ByteArrayInputStream(line), "line")) {
                Response x = r.next();
                return new Fields(x.id(), x.model(), x.response());
            }
        }
    }

    /** dsl-json's {@link JsonReader}, reused line to line. */
    static final class DslJsonDecoder implements Reader {
        private final JsonReader<Object> r = new DslJson<>().newReader(new byte[0]);

        @Override
        public Fields decode(byte[] line) throws IOException {
            r.process(line, line.length);
            if (r.getNextToken() != '{') throw r.newParseError("expecting '{'");
            Fields f = EMPTY;
            if (r.getNextToken() != '}') {
                while (true) {
                    if (r.last() != '"') throw r.newParseError("expecting a key");
                    int field = field(r.readKey());
                    if (field < 0) {
                        r.skip();
                    } else {
                        if (r.last() == '"') f = f.with(field, r.readString());
                        else if (!r.wasNull()) throw r.newParseError("expecting a string");
                        r.getNextToken();
                    }
                    if (r.last() == '}') break;
                    if (r.last() != ',') throw r.newParseError("expecting ',' or '}'");
                    r.getNextToken();
                }
            }
            if (!blank(line, r.getCurrentIndex(), line.length)) throw r.newParseError("data after the object");
            return f;
        }
    }

    /** jsoniter's {@link JsonIterator}, reset line to line. */
    static final class JsoniterDecoder implements Reader {
        private final JsonIterator it = JsonIterator.parse(new byte[0]);

        @Override
        public Fields decode(byte[] line) throws IOException {
            it.reset(line, 0, line.length);
            Fields f = EMPTY;
            for (String key = it.readObject(); key != null; key = it.readObject()) {
                int field = field(key);
                if (field < 0) {
                    it.skip();
                } else {
                    ValueType t = it.whatIsNext();
                    if (t == ValueType.STRING) f = f.with(field, it.readString());
                    else if (!it.readNull()) throw new IOException("expecting a string");
                }
            }
            // jsoniter has no public position or end check: whatIsNext() reads the next token
            // (the end of the input reads as INVALID, as does any stray character)
            return f;
        }
    }

    /** fastjson2's {@link JSONReader} (UTF-8), one per line as its API has it. */
    static final class Fastjson2Decoder implements Reader {
        @Override
        public Fields decode(byte[] line) throws IOException {
            try (JSONReader r = JSONReader.of(line, 0, line.length)) {
                if (!r.nextIfObjectStart()) throw new IOException("expecting '{'");
                Fields f = EMPTY;
                while (!r.nextIfObjectEnd()) {
                    int field = field(r.readFieldName());
                    if (field < 0) {
                        r.skipValue();
                    } else if (r.isString()) {
                        f = f.with(field, r.readString());
                    } else if (!r.nextIfNull()) {
                        throw new IOException("expecting a string");
                    }
                }
                if (!r.isEnd()) throw new IOException("data after the object");
                return f;
            }
        }
    }

    /** The project's byte decoder ({@link ai.lthn.ml.score.LineDecoder}), the three strings made. */
    static final class ByteDecoder implements Reader {
        private final ai.lthn.ml.score.LineDecoder d = new ai.lthn.ml.score.LineDecoder();

        @Override
        public Fields decode(byte[] line) {
            if (!d.decode(line, 0, line.length)) return null;
            return new Fields(
                    d.string(ai.lthn.ml.score.LineDecoder.ID),
                    d.string(ai.lthn.ml.score.LineDecoder.MODEL),
                    d.string(ai.lthn.ml.score.LineDecoder.RESPONSE));
        }
    }
}
