package ai.lthn.ml.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes GGUF v3 files laid out as go-ml's {@code writeGGUF} lays them out: header, the metadata
 * in the order given, the tensor index in the order given (each offset rounded up to the
 * alignment), zero padding to the alignment, then each tensor's bytes followed by zero padding to
 * the alignment. Every metadata type can be written (go-ml writes only strings, uint32 and
 * float32). Written to a temporary file beside the target, fsynced and renamed into place.
 */
public final class GgufWriter {
    /** The GGUF default alignment, which go-ml uses and does not record. */
    public static final int ALIGNMENT = 32;

    private static final int MAGIC = 0x46554747; // "GGUF" little-endian

    /**
     * One tensor to write.
     *
     * @param name its name
     * @param dims its dimensions in GGML order
     * @param type its GGML type id
     * @param data its bytes (position to limit; not consumed)
     */
    public record Tensor(String name, List<Long> dims, int type, ByteBuffer data) {
        /**
         * Validates and copies.
         *
         * @param name its name; not {@code null}
         * @param dims its dimensions in GGML order; copied
         * @param type its GGML type id
         * @param data its bytes, position to limit; not {@code null}
         * @throws NullPointerException if {@code name}, {@code dims} or {@code data} is {@code null}
         */
        public Tensor {
            Objects.requireNonNull(name, "name");
            dims = List.copyOf(dims);
            Objects.requireNonNull(data, "data");
        }
    }

    private GgufWriter() {}

    /**
     * Writes a GGUF v3 file atomically.
     *
     * @param path the file to create or replace; written to a temporary file first and renamed
     *     into place
     * @param metadata the key-value pairs, written in list order
     * @param tensors the tensors, written in list order, each padded to {@link #ALIGNMENT} bytes
     * @throws ai.lthn.ml.MlIOException if the file cannot be written (then {@code path} is
     *     unchanged)
     */
    public static void write(Path path, List<Map.Entry<String, GgufValue>> metadata, List<Tensor> tensors) {
        try (AtomicOutput out = new AtomicOutput()) {
            write(out, path, metadata, tensors);
            out.commit();
        }
    }

    static void write(AtomicOutput out, Path path, List<Map.Entry<String, GgufValue>> metadata, List<Tensor> tensors) {
        byte[] head = header(3, metadata, tensors);
        out.write(path, ch -> {
            writeAll(ch, ByteBuffer.wrap(head));
            for (Tensor t : tensors) {
                writeAll(ch, t.data().duplicate());
                int rem = t.data().remaining() % ALIGNMENT;
                if (rem != 0) writeAll(ch, ByteBuffer.allocate(ALIGNMENT - rem));
            }
        });
    }

    /** Everything before the tensor data, padded to the alignment. */
    static byte[] header(int version, List<Map.Entry<String, GgufValue>> metadata, List<Tensor> tensors) {
        Le w = new Le();
        w.u32(MAGIC);
        w.u32(version);
        w.u64(tensors.size());
        w.u64(metadata.size());
        for (Map.Entry<String, GgufValue> kv : metadata) {
            w.string(kv.getKey());
            w.u32(kv.getValue().type().id());
            value(w, kv.getValue());
        }
        long offset = 0;
        for (Tensor t : tensors) {
            w.string(t.name());
            w.u32(t.dims().size());
            for (long d : t.dims()) w.u64(d);
            w.u32(t.type());
            w.u64(offset);
            offset += t.data().remaining();
            if (offset % ALIGNMENT != 0) offset += ALIGNMENT - offset % ALIGNMENT;
        }
        while (w.size() % ALIGNMENT != 0) w.write(0);
        return w.toByteArray();
    }

    private static void value(Le w, GgufValue v) {
        switch (v.type()) {
            case UINT8, INT8, BOOL ->
                w.write(v.type() == GgufType.BOOL ? ((Boolean) v.value() ? 1 : 0) : (int) (long) (Long) v.value());
            case UINT16, INT16 -> {
                long x = (Long) v.value();
                w.write((int) x);
                w.write((int) (x >> 8));
            }
            case UINT32, INT32 -> w.u32((int) (long) (Long) v.value());
            case UINT64, INT64 -> w.u64((Long) v.value());
            case FLOAT32 -> w.u32(Float.floatToRawIntBits((Float) v.value()));
            case FLOAT64 -> w.u64(Double.doubleToRawLongBits((Double) v.value()));
            case STRING -> w.string((String) v.value());
            case ARRAY -> {
                w.u32(v.elementType().id());
                w.u64(v.elements().size());
                for (GgufValue e : v.elements()) value(w, e);
            }
        }
    }

    /** Little-endian output. */
    private static final class Le extends ByteArrayOutputStream {
        void u32(int v) {
            for (int i = 0; i < 4; i++) write(v >>> (8 * i));
        }

        void u64(long v) {
            for (int i = 0; i < 8; i++) write((int) (v >>> (8 * i)));
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b, 0, b.length);
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
