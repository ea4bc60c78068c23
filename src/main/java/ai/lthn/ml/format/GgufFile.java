package ai.lthn.ml.format;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A GGUF (v2 or v3) file opened for reading: header, every metadata value (all integer widths,
 * float32/64, bool, string, nested arrays), the tensor index; tensor bytes are memory-mapped only
 * when asked for. Reads llama.cpp's files as well as {@link GgufWriter}'s.
 *
 * <p>Checked before anything is allocated or sliced, each against the bytes left in the file:
 * the magic and version, the tensor and metadata counts, every string length (UTF-8 required),
 * every array count (times the element type's smallest size) and nesting depth, bool values,
 * duplicate keys and tensor names, the dimension count (at most 4) and each dimension, the
 * {@code general.alignment} (a power of two), each tensor's offset (aligned) and size against the
 * data section, and overlaps between tensors. A problem is an {@link InvalidInputException}
 * naming the file, the byte offset and the field.
 */
public final class GgufFile implements AutoCloseable {
    private static final int MAGIC = 0x46554747;
    private static final int MAX_DIMS = 4;
    private static final int MAX_DEPTH = 16;

    private final Path path;
    private final FileChannel channel;
    private final int version;
    private final Map<String, GgufValue> metadata;
    private final List<GgufTensorInfo> tensors;
    private final long alignment;
    private final long dataStart;

    private GgufFile(
            Path path,
            FileChannel channel,
            int version,
            Map<String, GgufValue> metadata,
            List<GgufTensorInfo> tensors,
            long alignment,
            long dataStart) {
        this.path = path;
        this.channel = channel;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.alignment = alignment;
        this.dataStart = dataStart;
    }

    /**
     * Opens and checks {@code path}.
     *
     * @param path the GGUF file (v2 or v3)
     * @return the parsed file, whose tensor data is mapped on demand; close it
     * @throws InvalidInputException naming the file, offset and field when the file is malformed
     * @throws MlIOException when it cannot be read
     */
    public static GgufFile open(Path path) {
        Objects.requireNonNull(path, "path");
        return MappedFiles.open(path, ch -> new Parser(path, ch).parse());
    }

    /**
     * The file.
     *
     * @return the path as given to {@link #open}
     */
    public Path path() {
        return path;
    }

    /**
     * The GGUF version (2 or 3).
     *
     * @return the version from the header
     */
    public int version() {
        return version;
    }

    /**
     * The metadata in file order.
     *
     * @return key to value, in file order; unmodifiable
     */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    /**
     * The tensor index in file order.
     *
     * @return the tensor entries, in file order; unmodifiable
     */
    public List<GgufTensorInfo> tensors() {
        return tensors;
    }

    /**
     * The data alignment ({@code general.alignment}, default 32).
     *
     * @return the alignment in bytes
     */
    public long alignment() {
        return alignment;
    }

    /**
     * The absolute file offset of the data section.
     *
     * @return the offset in bytes from the start of the file; tensor offsets count from here
     */
    public long dataStart() {
        return dataStart;
    }

    /**
     * A read-only little-endian view of {@code t}'s bytes, memory-mapped on demand.
     *
     * @param t an entry of this file's {@link #tensors()}
     * @return a buffer of exactly {@code t.byteLength()} bytes, positioned at 0
     * @throws InvalidInputException when its type is unknown (so its size is) or it is over 2 GiB
     *     (read it with {@link #data(GgufTensorInfo, long, int)})
     */
    public ByteBuffer data(GgufTensorInfo t) {
        return MappedFiles.map(channel, path, t.name(), dataStart + t.offset(), knownLength(t));
    }

    /**
     * A read-only little-endian view of {@code length} bytes of {@code t}, from byte {@code offset}
     * of the tensor: reads a tensor of any size (over 2 GiB too) one window at a time.
     *
     * @param t an entry of this file's {@link #tensors()}
     * @param offset the first byte, counted from the tensor's start
     * @param length how many bytes
     * @return a buffer of exactly {@code length} bytes, positioned at 0
     * @throws InvalidInputException when its type is unknown (so its size is)
     * @throws IndexOutOfBoundsException when the window does not lie within the tensor
     */
    public ByteBuffer data(GgufTensorInfo t, long offset, int length) {
        return MappedFiles.window(channel, path, t.name(), dataStart + t.offset(), knownLength(t), offset, length);
    }

    private long knownLength(GgufTensorInfo t) {
        if (t.byteLength() < 0) {
            throw new InvalidInputException(
                    path.toString(),
                    dataStart + t.offset(),
                    "tensor " + t.name() + ": size of " + t.typeName() + " unknown");
        }
        return t.byteLength();
    }

    @Override
    public void close() {
        MappedFiles.closeQuietly(channel);
    }

    /** Sequential, bounds-checked reading of the header. */
    private static final class Parser {
        private final Path path;
        private final String src;
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long pos;

        Parser(Path path, FileChannel ch) throws IOException {
            this.path = path;
            this.src = path.toString();
            this.ch = ch;
            this.size = ch.size();
            buf.limit(0);
        }

        GgufFile parse() throws IOException {
            require(4, "magic");
            int magic = i32();
            if (magic != MAGIC) throw bad(0, "magic " + String.format("0x%08x", magic) + " is not GGUF");
            require(4, "version");
            int version = i32();
            if (version != 2 && version != 3)
                throw bad(4, "version " + Integer.toUnsignedString(version) + " not supported (2 or 3)");
            require(16, "tensor and metadata counts");
            long tensorCount = i64();
            long kvCount = i64();
            // each metadata entry takes at least 8 (key length) + 4 (type) + 1 bytes; each tensor 8 + 4 + 4 + 8
            if (tensorCount < 0 || tensorCount > remaining() / 24) {
                throw bad(
                        8,
                        "tensor count " + Long.toUnsignedString(tensorCount) + " cannot fit in the " + remaining()
                                + " bytes left");
            }
            if (kvCount < 0 || kvCount > remaining() / 13) {
                throw bad(
                        16,
                        "metadata count " + Long.toUnsignedString(kvCount) + " cannot fit in the " + remaining()
                                + " bytes left");
            }
            Map<String, GgufValue> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                long at = pos;
                String key = string("metadata key #" + i);
                require(4, "type of " + key);
                int typeId = i32();
                GgufType type = GgufType.of(Integer.toUnsignedLong(typeId));
                if (type == null)
                    throw bad(pos - 4, "metadata " + key + ": unknown value type " + Integer.toUnsignedString(typeId));
                GgufValue v = value(type, "metadata " + key, 0);
                if (metadata.putIfAbsent(key, v) != null) throw bad(at, "duplicate metadata key " + key);
            }
            long alignment = 32;
            GgufValue a = metadata.get("general.alignment");
            if (a != null) {
                if (a.type() != GgufType.UINT32 || Long.bitCount((Long) a.value()) != 1) {
                    throw bad(0, "general.alignment " + a.value() + " (" + a.type() + ") is not a uint32 power of two");
                }
                alignment = (Long) a.value();
            }
            List<long[]> raw = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<List<Long>> allDims = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (long i = 0; i < tensorCount; i++) {
                long at = pos;
                String name = string("tensor name #" + i);
                if (!seen.add(name)) throw bad(at, "duplicate tensor name " + name);
                require(4, "tensor " + name + ": dimension count");
                long nDims = Integer.toUnsignedLong(i32());
                if (nDims > MAX_DIMS)
                    throw bad(pos - 4, "tensor " + name + ": " + nDims + " dimensions, at most " + MAX_DIMS);
                require(nDims * 8 + 12, "tensor " + name + ": dims, type and offset");
                List<Long> dims = new ArrayList<>();
                long elements = 1;
                boolean overflow = false;
                for (int d = 0; d < nDims; d++) {
                    long dim = i64();
                    if (dim < 0)
                        throw bad(
                                pos - 8, "tensor " + name + ": dimension " + Long.toUnsignedString(dim) + " over 2^63");
                    dims.add(dim);
                    try {
                        elements = Math.multiplyExact(elements, dim);
                    } catch (ArithmeticException e) {
                        overflow = true;
                    }
                }
                long type = Integer.toUnsignedLong(i32());
                long offset = i64();
                if (overflow && !dims.contains(0L))
                    throw bad(at, "tensor " + name + ": shape " + dims + " has over 2^63 elements");
                if (overflow) elements = 0;
                long bytes = -1;
                GgmlType t = GgmlType.of(type);
                if (t != null) {
                    if (!dims.isEmpty() && dims.get(0) % t.blockSize() != 0) {
                        throw bad(
                                at,
                                "tensor " + name + ": first dimension " + dims.get(0) + " is not a multiple of "
                                        + t.name() + "'s block of " + t.blockSize());
                    }
                    try {
                        bytes = Math.multiplyExact(elements / t.blockSize(), (long) t.typeSize());
                    } catch (ArithmeticException e) {
                        throw bad(at, "tensor " + name + ": size over 2^63 bytes");
                    }
                }
                if (offset < 0 || offset % alignment != 0) {
                    throw bad(
                            pos - 8,
                            "tensor " + name + ": offset " + Long.toUnsignedString(offset) + " is not aligned to "
                                    + alignment);
                }
                names.add(name);
                allDims.add(dims);
                raw.add(new long[] {type, offset, bytes, at});
            }
            long dataStart = pos % alignment == 0 ? pos : pos + alignment - pos % alignment;
            if (dataStart > size && tensorCount > 0) {
                throw bad(pos, "data section at " + dataStart + " starts past the end of the " + size + "-byte file");
            }
            long dataLen = Math.max(0, size - dataStart);
            List<GgufTensorInfo> tensors = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                long[] r = raw.get(i);
                long end = r[2] < 0 ? r[1] : r[1] + r[2];
                if (r[1] > dataLen || end > dataLen || end < 0) {
                    throw bad(
                            r[3],
                            "tensor " + names.get(i) + ": bytes [" + r[1] + ", " + (r[2] < 0 ? "?" : end)
                                    + ") outside the " + dataLen + "-byte data section");
                }
                tensors.add(new GgufTensorInfo(names.get(i), allDims.get(i), (int) r[0], r[1], r[2]));
            }
            checkOverlaps(tensors);
            return new GgufFile(
                    path,
                    ch,
                    version,
                    Collections.unmodifiableMap(metadata),
                    List.copyOf(tensors),
                    alignment,
                    dataStart);
        }

        private void checkOverlaps(List<GgufTensorInfo> tensors) {
            List<GgufTensorInfo> sorted = new ArrayList<>(tensors);
            sorted.removeIf(t -> t.byteLength() <= 0);
            sorted.sort(Comparator.comparingLong(GgufTensorInfo::offset));
            for (int i = 1; i < sorted.size(); i++) {
                GgufTensorInfo p = sorted.get(i - 1);
                GgufTensorInfo t = sorted.get(i);
                if (t.offset() < p.offset() + p.byteLength()) {
                    throw bad(
                            0,
                            "tensor " + t.name() + " at " + t.offset() + " overlaps tensor " + p.name() + " ["
                                    + p.offset() + ", " + (p.offset() + p.byteLength()) + ")");
                }
            }
        }

        private GgufValue value(GgufType type, String field, int depth) throws IOException {
            switch (type) {
                case UINT8, INT8, BOOL -> {
                    require(1, field);
                    int b = u8();
                    if (type == GgufType.BOOL) {
                        if (b > 1) throw bad(pos - 1, field + ": bool byte " + b + " is not 0 or 1");
                        return new GgufValue(type, null, b == 1);
                    }
                    return new GgufValue(type, null, type == GgufType.INT8 ? (long) (byte) b : (long) b);
                }
                case UINT16, INT16 -> {
                    require(2, field);
                    int v = u8() | (u8() << 8);
                    return new GgufValue(type, null, type == GgufType.INT16 ? (long) (short) v : (long) v);
                }
                case UINT32, INT32 -> {
                    require(4, field);
                    int v = i32();
                    return new GgufValue(type, null, type == GgufType.INT32 ? (long) v : Integer.toUnsignedLong(v));
                }
                case UINT64, INT64 -> {
                    require(8, field);
                    return new GgufValue(type, null, i64());
                }
                case FLOAT32 -> {
                    require(4, field);
                    return new GgufValue(type, null, Float.intBitsToFloat(i32()));
                }
                case FLOAT64 -> {
                    require(8, field);
                    return new GgufValue(type, null, Double.longBitsToDouble(i64()));
                }
                case STRING -> {
                    return new GgufValue(type, null, string(field));
                }
                case ARRAY -> {
                    if (depth >= MAX_DEPTH) throw bad(pos, field + ": arrays nested over " + MAX_DEPTH + " deep");
                    require(12, field + ": array header");
                    int et = i32();
                    GgufType elem = GgufType.of(Integer.toUnsignedLong(et));
                    if (elem == null)
                        throw bad(pos - 4, field + ": unknown array element type " + Integer.toUnsignedString(et));
                    long count = i64();
                    if (count < 0 || count > remaining() / elem.minSize()) {
                        throw bad(
                                pos - 8,
                                field + ": array of " + Long.toUnsignedString(count) + " " + elem
                                        + " cannot fit in the " + remaining() + " bytes left");
                    }
                    if (count > Integer.MAX_VALUE - 8) throw bad(pos - 8, field + ": array of " + count + " elements");
                    if (elem == GgufType.STRING) {
                        String[] strings = new String[(int) count];
                        for (int i = 0; i < strings.length; i++) strings[i] = string(field);
                        return new GgufValue(type, elem, PackedArray.strings(strings));
                    }
                    if (elem != GgufType.ARRAY) {
                        long bytes = count * elem.minSize(); // <= remaining(), checked above
                        if (bytes > Integer.MAX_VALUE - 8) throw bad(pos - 8, field + ": array over 2 GiB");
                        byte[] raw = new byte[(int) bytes];
                        readFully(raw);
                        if (elem == GgufType.BOOL) {
                            for (int i = 0; i < raw.length; i++) {
                                if ((raw[i] & 0xff) > 1) {
                                    throw bad(
                                            pos - raw.length + i,
                                            field + ": bool byte " + (raw[i] & 0xff) + " is not 0 or 1");
                                }
                            }
                        }
                        return new GgufValue(type, elem, PackedArray.scalars(elem, raw));
                    }
                    List<GgufValue> values = new ArrayList<>((int) Math.min(count, 1 << 16));
                    for (long i = 0; i < count; i++) values.add(value(elem, field, depth + 1));
                    return GgufValue.array(elem, values);
                }
                default -> throw new IllegalStateException(type.toString());
            }
        }

        private String string(String field) throws IOException {
            require(8, field + ": string length");
            long len = i64();
            if (len < 0 || len > remaining()) {
                throw bad(
                        pos - 8,
                        field + ": string length " + Long.toUnsignedString(len) + " runs past the end (" + remaining()
                                + " bytes left)");
            }
            if (len > Integer.MAX_VALUE - 8) throw bad(pos - 8, field + ": string length " + len + " over 2 GiB");
            if (len == 0) return "";
            byte[] b = new byte[(int) len];
            readFully(b);
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b))
                        .toString();
            } catch (CharacterCodingException e) {
                throw bad(pos - len, field + ": not valid UTF-8");
            }
        }

        /** Reads exactly {@code b.length} bytes (the caller checked they are in the file). */
        private void readFully(byte[] b) throws IOException {
            for (int off = 0; off < b.length; ) {
                fill();
                int n = Math.min(buf.remaining(), b.length - off);
                buf.get(b, off, n);
                off += n;
                pos += n;
            }
        }

        private long remaining() {
            return size - pos;
        }

        private void require(long n, String field) {
            if (n > remaining())
                throw bad(pos, field + ": file truncated (" + n + " bytes needed, " + remaining() + " left)");
        }

        private void fill() throws IOException {
            if (buf.hasRemaining()) return;
            buf.clear();
            while (buf.position() == 0) {
                int n = ch.read(buf, pos);
                if (n < 0) throw bad(pos, "file truncated (shrank while being read)");
            }
            buf.flip();
        }

        private int u8() throws IOException {
            fill();
            pos++;
            return buf.get() & 0xff;
        }

        private int i32() throws IOException {
            return u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
        }

        private long i64() throws IOException {
            return Integer.toUnsignedLong(i32()) | ((long) i32() << 32);
        }

        private InvalidInputException bad(long at, String problem) {
            return new InvalidInputException(src, at, problem);
        }
    }
}
