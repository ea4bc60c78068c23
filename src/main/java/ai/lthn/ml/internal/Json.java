package ai.lthn.ml.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * The library's one configured Jackson mapper, handed out as immutable readers and writers
 * (thread-safe, cheap to derive from). Unknown fields are ignored on reading, as wire formats
 * grow. Two more views keep go-ml's file formats: {@link #goWriter()} writes as Go's
 * {@code json.MarshalIndent} does, {@link #goReader(Class)} decodes as Go's {@code encoding/json}
 * does into a struct (field names case-insensitive, no scalar coercion).
 */
public final class Json {
    // Each view is built on first use (holder classes): building a mapper costs start-up time
    // (a few hundred classes, ~0.1-0.3 s of one core), and a command that only streams (ml score
    // decoding) or only writes Go's layout never needs the others.

    /** The streaming factory: the mapper's too, so there is still one. */
    private static final class Factory {
        static final JsonFactory INSTANCE = new JsonFactory();
    }

    private static final class Mapper {
        static final JsonMapper INSTANCE = JsonMapper.builder(Factory.INSTANCE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        static final ObjectReader READER = INSTANCE.reader();
        static final ObjectWriter WRITER = INSTANCE.writer();
    }

    private static final class GoIndented {
        static final ObjectWriter WRITER = GoJsonWriter.indented(Mapper.INSTANCE);
    }

    private static final class GoCompact {
        static final ObjectWriter WRITER = GoJsonWriter.compact(Mapper.INSTANCE);
    }

    private static final class GoDecoder {
        static final JsonMapper INSTANCE = goDecoder();
    }

    private Json() {}

    private static JsonMapper goDecoder() {
        JsonMapper m = Mapper.INSTANCE
                .rebuild()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .build();
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /**
     * Reads trees ({@code readTree}) and, with {@code forType}, bound values.
     *
     * @return the shared reader
     */
    public static ObjectReader reader() {
        return Mapper.READER;
    }

    /**
     * A tree from JSON bytes, read as Go's {@code encoding/json} reads them: as UTF-8 (a byte that is
     * not is U+FFFD). Jackson given bytes guesses the encoding instead: it skips a UTF-8 byte-order
     * mark, which Go refuses as a syntax error, and reads UTF-16/32 where leading bytes are zero,
     * failing with an encoding error where Go reports a syntax error.
     *
     * @param b the bytes
     * @param from the first byte
     * @param to the end
     * @return the tree (null for no content, as {@code readTree} gives)
     * @throws IOException if the text is not JSON
     */
    public static com.fasterxml.jackson.databind.JsonNode goTree(byte[] b, int from, int to) throws IOException {
        return reader().readTree(GoUtf8.decode(b, from, to));
    }

    /**
     * Compact JSON.
     *
     * @return the shared writer
     */
    public static ObjectWriter writer() {
        return Mapper.WRITER;
    }

    /**
     * Go's {@code MarshalIndent(v, "", "  ")} layout, escapes and float format ({@link
     * GoJsonWriter}).
     *
     * @return the shared Go-layout writer
     */
    public static ObjectWriter goWriter() {
        return GoIndented.WRITER;
    }

    /**
     * Go's {@code json.Marshal} output: compact, Go's escapes and float format.
     *
     * @return the shared compact Go writer
     */
    public static ObjectWriter goCompactWriter() {
        return GoCompact.WRITER;
    }

    /**
     * A reader that decodes {@code type} as Go's {@code encoding/json} decodes a struct: field
     * names match case-insensitively, a number is not a string, a string is not a number.
     *
     * @param type the record to bind
     * @return a reader for it
     */
    public static ObjectReader goReader(Class<?> type) {
        return GoDecoder.INSTANCE.readerFor(type);
    }

    /**
     * A new empty object node, for building request bodies.
     *
     * @return the node
     */
    public static ObjectNode object() {
        return Mapper.INSTANCE.createObjectNode();
    }

    /**
     * The streaming parser and generator factory.
     *
     * @return the shared factory
     */
    public static JsonFactory factory() {
        return Factory.INSTANCE;
    }
}
