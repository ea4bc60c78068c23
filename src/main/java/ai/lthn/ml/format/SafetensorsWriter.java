package ai.lthn.ml.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes safetensors files laid out as go-ml writes them: tensors sorted by name (byte order),
 * a compact header {@code {"name":{"dtype":…,"shape":[…],"data_offsets":[b,e]},…}} with no
 * {@code __metadata__} and no padding, then each tensor's bytes back to back in the same order.
 * The file is written to a temporary file beside the target, fsynced and renamed into place.
 */
public final class SafetensorsWriter {
    /**
     * One tensor to write.
     *
     * @param name its key
     * @param dtype its dtype, written as given
     * @param shape its dimensions
     * @param data its bytes (position to limit; not consumed)
     */
    public record Entry(String name, String dtype, List<Long> shape, ByteBuffer data) {
        /**
         * Validates and copies the shape.
         *
         * @param name its key; not {@code null}
         * @param dtype its dtype, written as given; not {@code null}
         * @param shape its dimensions; copied
         * @param data its bytes, position to limit; not {@code null}
         * @throws NullPointerException if a component is {@code null}
         */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            shape = List.copyOf(shape);
            Objects.requireNonNull(data, "data");
        }
    }

    private SafetensorsWriter() {}

    /**
     * Writes {@code entries} to {@code path} atomically.
     *
     * @param path the file to create or replace
     * @param entries the tensors, in any order (they are written sorted by name)
     * @throws IllegalArgumentException when two entries share a name
     * @throws ai.lthn.ml.MlIOException when the file cannot be written
     */
    public static void write(Path path, List<Entry> entries) {
        try (AtomicOutput out = new AtomicOutput()) {
            write(out, path, entries);
            out.commit();
        }
    }

    /** Writes into an {@link AtomicOutput} the caller commits. */
    static void write(AtomicOutput out, Path path, List<Entry> entries) {
        List<Entry> sorted = sorted(entries);
        byte[] header = header(sorted);
        out.write(path, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            len.putLong(0, header.length);
            writeAll(ch, len);
            writeAll(ch, ByteBuffer.wrap(header));
            for (Entry e : sorted) writeAll(ch, e.data().duplicate());
        });
    }

    /** The header JSON go-ml writes for {@code entries} (sorted here). */
    static byte[] header(List<Entry> entries) {
        StringBuilder sb = new StringBuilder("{");
        long offset = 0;
        for (Entry e : sorted(entries)) {
            if (sb.length() > 1) sb.append(',');
            GoJsonText.quote(sb, e.name()).append(":{\"dtype\":");
            GoJsonText.quote(sb, e.dtype()).append(",\"shape\":[");
            for (int i = 0; i < e.shape().size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(e.shape().get(i));
            }
            long end = offset + e.data().remaining();
            sb.append("],\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(end)
                    .append("]}");
            offset = end;
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<Entry> sorted(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> GoJsonText.BYTE_ORDER.compare(a.name(), b.name()));
        Set<String> seen = new HashSet<>();
        for (Entry e : sorted) {
            if (!seen.add(e.name())) throw new IllegalArgumentException("two tensors named " + e.name());
        }
        return sorted;
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
