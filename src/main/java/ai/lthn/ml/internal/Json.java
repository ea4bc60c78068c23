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

/**
 * The library's one configured Jackson mapper, handed out as immutable readers and writers
 * (thread-safe, cheap to derive from). Unknown fields are ignored on reading, as wire formats
 * grow. Two more views keep go-ml's file formats: {@link #goWriter()} writes as Go's
 * {@code json.MarshalIndent} does, {@link #goReader(Class)} decodes as Go's {@code encoding/json}
 * does into a struct (field names case-insensitive, no scalar coercion).
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final ObjectWriter GO_WRITER = GoJsonWriter.indented(MAPPER);
    private static final ObjectWriter GO_COMPACT = GoJsonWriter.compact(MAPPER);
    private static final JsonMapper GO_DECODER = goDecoder();

    private Json() {}

    private static JsonMapper goDecoder() {
        JsonMapper m = MAPPER.rebuild()
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
        return READER;
    }

    /**
     * Compact JSON.
     *
     * @return the shared writer
     */
    public static ObjectWriter writer() {
        return WRITER;
    }

    /**
     * Go's {@code MarshalIndent(v, "", "  ")} layout, escapes and float format ({@link
     * GoJsonWriter}).
     *
     * @return the shared Go-layout writer
     */
    public static ObjectWriter goWriter() {
        return GO_WRITER;
    }

    /**
     * Go's {@code json.Marshal} output: compact, Go's escapes and float format.
     *
     * @return the shared compact Go writer
     */
    public static ObjectWriter goCompactWriter() {
        return GO_COMPACT;
    }

    /**
     * A reader that decodes {@code type} as Go's {@code encoding/json} decodes a struct: field
     * names match case-insensitively, a number is not a string, a string is not a number.
     *
     * @param type the record to bind
     * @return a reader for it
     */
    public static ObjectReader goReader(Class<?> type) {
        return GO_DECODER.readerFor(type);
    }

    /**
     * A new empty object node, for building request bodies.
     *
     * @return the node
     */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * The streaming parser and generator factory.
     *
     * @return the shared factory
     */
    public static JsonFactory factory() {
        return MAPPER.getFactory();
    }
}
