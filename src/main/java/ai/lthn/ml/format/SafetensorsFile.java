package ai.lthn.ml.format;

import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A safetensors file opened for reading. The header is parsed and checked when the file is
 * opened; a tensor's bytes are memory-mapped only when asked for, as a read-only view, so a
 * large file is never read whole. Close it to release the file.
 *
 * <p>Checked before anything is allocated or sliced: the file holds the 8-byte length; the header
 * fits in the file (and in the format's 100 MB limit); the header is UTF-8 JSON with no duplicate
 * key; each tensor has a string dtype, a shape of non-negative integers and two offsets inside the
 * data section; the shape's product times the element size equals the byte length (for known
 * dtypes); no two tensors overlap.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The largest header the format allows (the reference implementation's limit). */
    static final long MAX_HEADER = 100L * 1024 * 1024;

    private static final ObjectReader JSON = Json.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, SafetensorsTensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(
            Path path,
            FileChannel channel,
            long dataStart,
            Map<String, SafetensorsTensor> tensors,
            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens and checks {@code path}.
     *
     * @param path the safetensors file
     * @return the parsed file, whose tensor data is mapped on demand; close it
     * @throws InvalidInputException naming the file and the field when the file is malformed
     * @throws MlIOException when it cannot be read
     */
    public static SafetensorsFile open(Path path) {
        Objects.requireNonNull(path, "path");
        return MappedFiles.open(path, ch -> parse(path, ch));
    }

    private static SafetensorsFile parse(Path path, FileChannel ch) throws IOException {
        String src = path.toString();
        long size = ch.size();
        if (size < 8) throw new InvalidInputException(src, 0, "file too small: " + size + " bytes, need 8");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, src);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 0 || headerLen > size - 8) {
            throw new InvalidInputException(
                    src,
                    0,
                    "header length " + Long.toUnsignedString(headerLen) + " runs past the end of the " + size
                            + "-byte file");
        }
        if (headerLen > MAX_HEADER) {
            throw new InvalidInputException(src, 0, "header length " + headerLen + " exceeds " + MAX_HEADER);
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLen);
        readFully(ch, header, 8, src);
        header.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(header)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(src, 8, "header is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(src, 8, "header is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new InvalidInputException(src, 8, "header is not a JSON object");
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                readMetadata(src, e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), tensor(src, e.getKey(), e.getValue(), dataLen));
            }
        }
        checkOverlaps(src, tensors.values());
        return new SafetensorsFile(
                path, ch, dataStart, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(String src, JsonNode node, Map<String, String> into) {
        if (node.isNull()) return;
        if (!node.isObject()) throw new InvalidInputException(src, 8, "__metadata__ is not an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new InvalidInputException(src, 8, "__metadata__." + m.getKey() + " is not a string");
            }
            into.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static SafetensorsTensor tensor(String src, String name, JsonNode node, long dataLen) {
        String where = "tensor " + name;
        if (!node.isObject()) throw new InvalidInputException(src, 8, where + ": entry is not an object");
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual())
            throw new InvalidInputException(src, 8, where + ": dtype is not a string");
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new InvalidInputException(src, 8, where + ": shape is not an array");
        }
        List<Long> shape = new ArrayList<>(shapeNode.size());
        for (JsonNode d : shapeNode) shape.add(nonNegative(src, where + ": shape", d));
        JsonNode offs = node.get("data_offsets");
        if (offs == null || !offs.isArray() || offs.size() != 2) {
            throw new InvalidInputException(src, 8, where + ": data_offsets is not a pair of integers");
        }
        long begin = nonNegative(src, where + ": data_offsets", offs.get(0));
        long end = nonNegative(src, where + ": data_offsets", offs.get(1));
        if (begin > end || end > dataLen) {
            throw new InvalidInputException(
                    src,
                    8,
                    where + ": data_offsets [" + begin + ", " + end + "] outside the " + dataLen
                            + "-byte data section");
        }
        int es = Dtypes.size(dtype.textValue());
        if (es > 0) {
            long expected = es;
            try {
                for (long d : shape) expected = Math.multiplyExact(expected, d);
            } catch (ArithmeticException overflow) {
                expected = -1;
            }
            if (expected != end - begin) {
                throw new InvalidInputException(
                        src,
                        8,
                        where + ": shape " + shape + " of " + dtype.textValue() + " needs "
                                + (expected < 0 ? "more than 2^63" : Long.toString(expected))
                                + " bytes but data_offsets hold " + (end - begin));
            }
        }
        return new SafetensorsTensor(name, dtype.textValue(), shape, begin, end);
    }

    private static long nonNegative(String src, String field, JsonNode n) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new InvalidInputException(src, 8, field + ": " + n + " is not a non-negative 64-bit integer");
        }
        return n.longValue();
    }

    private static void checkOverlaps(String src, java.util.Collection<SafetensorsTensor> all) {
        List<SafetensorsTensor> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(SafetensorsTensor::begin).thenComparingLong(SafetensorsTensor::end));
        SafetensorsTensor prev = null;
        for (SafetensorsTensor t : sorted) {
            if (t.byteLength() == 0) continue;
            if (prev != null && t.begin() < prev.end()) {
                throw new InvalidInputException(
                        src,
                        8,
                        "tensor " + t.name() + ": data_offsets [" + t.begin() + ", " + t.end() + "] overlap tensor "
                                + prev.name() + " [" + prev.begin() + ", " + prev.end() + "]");
            }
            prev = t;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, String src) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) throw new InvalidInputException(src, p, "file truncated while reading");
            p += n;
        }
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
     * Every tensor by name, in header order.
     *
     * @return tensor name to entry, in header order; unmodifiable
     */
    public Map<String, SafetensorsTensor> tensors() {
        return tensors;
    }

    /**
     * The {@code __metadata__} strings (empty when absent).
     *
     * @return key to value; unmodifiable, empty when the header has no {@code __metadata__}
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The absolute file offset of the data section.
     *
     * @return 8 plus the header length, in bytes; tensor offsets count from here
     */
    public long dataStart() {
        return dataStart;
    }

    /**
     * A read-only little-endian view of {@code name}'s bytes, memory-mapped on demand.
     *
     * @param name a tensor key from {@link #tensors()}
     * @return a buffer of exactly the tensor's byte length, positioned at 0
     * @throws IllegalArgumentException when there is no such tensor
     * @throws InvalidInputException when the tensor is too large for one buffer (2 GiB): read it with
     *     {@link #data(String, long, int)}
     */
    public ByteBuffer data(String name) {
        SafetensorsTensor t = tensor(name);
        return MappedFiles.map(channel, path, name, dataStart + t.begin(), t.byteLength());
    }

    /**
     * A read-only little-endian view of {@code length} bytes of {@code name}, from byte
     * {@code offset} of the tensor: reads a tensor of any size (over 2 GiB too) one window at a time.
     *
     * @param name a tensor key from {@link #tensors()}
     * @param offset the first byte, counted from the tensor's start
     * @param length how many bytes
     * @return a buffer of exactly {@code length} bytes, positioned at 0
     * @throws IllegalArgumentException when there is no such tensor
     * @throws IndexOutOfBoundsException when the window does not lie within the tensor
     */
    public ByteBuffer data(String name, long offset, int length) {
        SafetensorsTensor t = tensor(name);
        return MappedFiles.window(channel, path, name, dataStart + t.begin(), t.byteLength(), offset, length);
    }

    private SafetensorsTensor tensor(String name) {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no tensor " + name + " in " + path);
        return t;
    }

    @Override
    public void close() {
        MappedFiles.closeQuietly(channel);
    }
}
