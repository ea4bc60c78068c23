package ai.lthn.ml.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;

/**
 * JSON written byte for byte as Go's {@code json.MarshalIndent(v, "", "  ")} writes it: two-space
 * indentation, {@code "key": value}, one array element per line, {@code []} and {@code {}} when
 * empty, {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped as {@code \u003c} and so on,
 * floats in Go's shortest form ({@link GoFloats}), no trailing newline.
 */
public final class GoJsonWriter {
    private GoJsonWriter() {}

    /** A writer for {@code mapper}'s types with Go's indented layout. */
    public static ObjectWriter indented(ObjectMapper mapper) {
        ObjectMapper copy = mapper.copy().registerModule(GoFloats.module());
        copy.getFactory().setCharacterEscapes(new GoEscapes());
        return copy.writer(new GoPrettyPrinter());
    }

    /**
     * A writer for {@code mapper}'s types as Go's {@code json.Marshal} writes them: compact, Go's
     * escapes and float format (no trailing newline; {@code json.Encoder} adds one).
     *
     * @param mapper the mapper whose configuration to copy
     * @return the writer
     */
    public static ObjectWriter compact(ObjectMapper mapper) {
        ObjectMapper copy = mapper.copy().registerModule(GoFloats.module());
        copy.getFactory().setCharacterEscapes(new GoEscapes());
        return copy.writer();
    }

    /** Go's HTML-safe escapes, with lower-case hex as Go writes them. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        GoEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<' -> new SerializedString("\\u003c");
                case '>' -> new SerializedString("\\u003e");
                case '&' -> new SerializedString("\\u0026");
                case 0x2028 -> new SerializedString("\\u2028");
                case 0x2029 -> new SerializedString("\\u2029");
                default -> null;
            };
        }
    }

    /** Go's MarshalIndent layout. */
    private static final class GoPrettyPrinter extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        GoPrettyPrinter() {
            super(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withRootSeparator(""));
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            indentObjectsWith(indenter);
            indentArraysWith(indenter);
        }

        GoPrettyPrinter(GoPrettyPrinter base) {
            super(base);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new GoPrettyPrinter(this);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (nrOfEntries > 0) {
                super.writeEndObject(g, nrOfEntries);
            } else {
                _nesting--;
                g.writeRaw('}');
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (nrOfValues > 0) {
                super.writeEndArray(g, nrOfValues);
            } else {
                _nesting--;
                g.writeRaw(']');
            }
        }
    }
}
