package ai.lthn.ml.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on files built byte by byte from the GGUF specification (ggml/docs/gguf.md): magic
 * "GGUF", uint32 version, uint64 tensor count, uint64 metadata count; each metadata entry a
 * string key (uint64 length + UTF-8 bytes), a uint32 value type and the value (types 0–12:
 * uint8, int8, uint16, int16, uint32, int32, float32, bool, string, array = uint32 element type +
 * uint64 count + elements, uint64, int64, float64); each tensor info a string name, uint32 n_dims,
 * n_dims × uint64 dims, uint32 ggml type, uint64 offset; then padding to general.alignment.
 */
class GgufFileTest {
    @TempDir
    Path tmp;

    /** Little-endian bytes by hand, independent of {@link GgufWriter}. */
    static final class Bytes extends ByteArrayOutputStream {
        Bytes u8(int v) {
            write(v);
            return this;
        }

        Bytes u16(int v) {
            return u8(v).u8(v >> 8);
        }

        Bytes u32(long v) {
            return u16((int) v).u16((int) (v >> 16));
        }

        Bytes u64(long v) {
            return u32(v).u32(v >>> 32);
        }

        Bytes str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b, 0, b.length);
            return this;
        }

        Bytes zeros(int n) {
            write(new byte[n], 0, n);
            return this;
        }

        Bytes pad(int to) {
            while (size() % to != 0) write(0);
            return this;
        }
    }

    private Path everyTypeFile() throws IOException {
        Bytes b = new Bytes();
        b.u32(0x46554747).u32(3).u64(2).u64(16);
        b.str("u8").u32(0).u8(200);
        b.str("i8").u32(1).u8(0xfe);
        b.str("u16").u32(2).u16(65000);
        b.str("i16").u32(3).u16(0xfffd);
        b.str("u32").u32(4).u32(4_000_000_000L);
        b.str("i32").u32(5).u32(-7);
        b.str("f32").u32(6).u32(Float.floatToIntBits(1.5f));
        b.str("bool").u32(7).u8(1);
        b.str("str").u32(8).str("héllo");
        b.str("u64").u32(10).u64(-1L);
        b.str("i64").u32(11).u64(-9L);
        b.str("f64").u32(12).u64(Double.doubleToLongBits(-2.25));
        b.str("arr.str").u32(9).u32(8).u64(3).str("a").str("").str("c");
        b.str("arr.nested").u32(9).u32(9).u64(2);
        b.u32(5).u64(2).u32(1).u32(2); // [1, 2] int32
        b.u32(7).u64(1).u8(0); // [false]
        b.str("general.alignment").u32(4).u32(64);
        b.str("arr.f32").u32(9).u32(6).u64(200);
        for (int i = 0; i < 200; i++) b.u32(Float.floatToIntBits(i));
        // tensors: a 4x2 F32 at 0 and a 32-element Q8_0 block at 64
        b.str("t.f32").u32(2).u64(4).u64(2).u32(0).u64(0);
        b.str("t.q8").u32(1).u64(32).u32(8).u64(64);
        b.pad(64);
        for (int i = 0; i < 8; i++) b.u32(Float.floatToIntBits(i));
        b.pad(64);
        for (int i = 0; i < 34; i++) b.u8(i);
        Path p = tmp.resolve("every.gguf");
        Files.write(p, b.toByteArray());
        return p;
    }

    @Test
    void readsEveryValueTypeNestedArraysAndTensors() throws IOException {
        try (GgufFile g = GgufFile.open(everyTypeFile())) {
            Map<String, GgufValue> m = g.metadata();
            assertThat(g.version()).isEqualTo(3);
            assertThat(m.get("u8").value()).isEqualTo(200L);
            assertThat(m.get("i8").value()).isEqualTo(-2L);
            assertThat(m.get("u16").value()).isEqualTo(65000L);
            assertThat(m.get("i16").value()).isEqualTo(-3L);
            assertThat(m.get("u32").value()).isEqualTo(4_000_000_000L);
            assertThat(m.get("i32").value()).isEqualTo(-7L);
            assertThat(m.get("f32").value()).isEqualTo(1.5f);
            assertThat(m.get("bool").value()).isEqualTo(true);
            assertThat(m.get("str").value()).isEqualTo("héllo");
            assertThat(Long.toUnsignedString((Long) m.get("u64").value())).isEqualTo("18446744073709551615");
            assertThat(m.get("i64").value()).isEqualTo(-9L);
            assertThat(m.get("f64").value()).isEqualTo(-2.25);
            assertThat(m.get("arr.str").elements()).extracting(GgufValue::value).containsExactly("a", "", "c");
            List<GgufValue> nested = m.get("arr.nested").elements();
            assertThat(nested.get(0).elementType()).isEqualTo(GgufType.INT32);
            assertThat(nested.get(0).elements()).extracting(GgufValue::value).containsExactly(1L, 2L);
            assertThat(nested.get(1).elements()).extracting(GgufValue::value).containsExactly(false);
            assertThat(m.get("arr.f32").elements()).hasSize(200);
            assertThat(g.alignment()).isEqualTo(64);
            assertThat(g.dataStart() % 64).isZero();
            assertThat(g.tensors()).extracting(GgufTensorInfo::name).containsExactly("t.f32", "t.q8");
            GgufTensorInfo q8 = g.tensors().get(1);
            assertThat(q8.typeName()).isEqualTo("Q8_0");
            assertThat(q8.byteLength()).isEqualTo(34);
            assertThat(g.data(q8).get(33)).isEqualTo((byte) 33);
            assertThat(g.data(g.tensors().get(0)).getFloat(28)).isEqualTo(7f);
        }
    }

    /** A file llama.cpp's gguf-py wrote (see gguf-py-writer.md beside it). */
    @Test
    void readsAFileLlamaCppsWriterWrote() throws Exception {
        Path p = Path.of(GgufFileTest.class.getResource("gguf-py-writer.gguf").toURI());
        try (GgufFile g = GgufFile.open(p)) {
            Map<String, GgufValue> m = g.metadata();
            assertThat(g.version()).isEqualTo(3);
            assertThat(m.get("general.architecture").value()).isEqualTo("llama");
            assertThat(m.get("t.u8").value()).isEqualTo(200L);
            assertThat(m.get("t.i16").value()).isEqualTo(-3L);
            assertThat(m.get("t.u64").value()).isEqualTo(-1L);
            assertThat(m.get("t.f64").value()).isEqualTo(-2.25);
            assertThat(m.get("t.bool").value()).isEqualTo(true);
            assertThat(m.get("t.str").value()).isEqualTo("héllo");
            List<GgufValue> nested = m.get("t.arr_nested").elements();
            assertThat(nested.get(0).elements()).extracting(GgufValue::value).containsExactly(1L, 2L);
            assertThat(nested.get(1).elements()).extracting(GgufValue::value).containsExactly(3L);
            assertThat(m.get("tokenizer.ggml.tokens").elements()).hasSize(300);
            assertThat(m.get("tokenizer.ggml.scores").elements().get(299).value())
                    .isEqualTo(299f);
            assertThat(m.get("llama.context_length").value()).isEqualTo(2048L);
            assertThat(g.tensors())
                    .extracting(t -> t.name() + " " + t.typeName() + " " + t.dims() + " " + (g.dataStart() + t.offset())
                            + " " + t.byteLength())
                    .containsExactly(
                            "token_embd.weight F32 [32, 4] 6080 512",
                            "blk.0.attn_q.weight F16 [16, 3] 6592 96",
                            "blk.0.ffn_up.weight Q8_0 [32, 2] 6688 68");
            assertThat(g.data(g.tensors().get(0)).getFloat(127 * 4)).isEqualTo(127f);
            assertThat(g.data(g.tensors().get(2)).get(67)).isEqualTo((byte) 67);
        }
    }

    /**
     * 60 M one-byte elements: one GgufValue object each would need ~1.7 GB, over the test JVM's
     * 1 GB heap; kept packed they cost the 60 MB the file holds.
     */
    @Test
    void aHugeScalarArrayCostsNoMoreHeapThanTheFile() throws IOException {
        int n = 60_000_000;
        Bytes b = head(0, 1).str("big").u32(9).u32(0).u64(n);
        Path p = tmp.resolve("big.gguf");
        try (var out = Files.newOutputStream(p)) {
            b.writeTo(out);
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) i;
            for (int left = n; left > 0; left -= chunk.length) out.write(chunk, 0, Math.min(left, chunk.length));
        }
        try (GgufFile g = GgufFile.open(p)) {
            List<GgufValue> big = g.metadata().get("big").elements();
            assertThat(big).hasSize(n);
            assertThat(big.get(n - 1).value()).isEqualTo((long) ((n - 1) % (1 << 20) & 0xff));
        }
        assertRejected(
                bytes(head(0, 1).str("k").u32(9).u32(7).u64(3).u8(1).u8(0).u8(5)), "bool byte 5");
    }

    @Test
    void writerRoundTripsEveryType() throws IOException {
        List<Map.Entry<String, GgufValue>> md = List.of(
                kv("a", GgufValue.integer(GgufType.INT16, -300)),
                kv("b", new GgufValue(GgufType.FLOAT64, null, 3.5)),
                kv("c", new GgufValue(GgufType.BOOL, null, true)),
                kv(
                        "d",
                        GgufValue.array(
                                GgufType.ARRAY,
                                List.of(GgufValue.array(GgufType.STRING, List.of(GgufValue.string("x")))))),
                kv("e", GgufValue.integer(GgufType.UINT64, -1L)));
        Path p = tmp.resolve("w.gguf");
        GgufWriter.write(p, md, List.of(new GgufWriter.Tensor("t", List.of(3L), 0, ByteBuffer.allocate(12))));
        try (GgufFile g = GgufFile.open(p)) {
            assertThat(g.metadata().keySet()).containsExactly("a", "b", "c", "d", "e");
            for (Map.Entry<String, GgufValue> e : md)
                assertThat(g.metadata().get(e.getKey())).isEqualTo(e.getValue());
            assertThat(g.tensors().get(0).byteLength()).isEqualTo(12);
        }
    }

    @Test
    void rejectsMalformedFilesNamingTheField() throws IOException {
        Bytes head = new Bytes().u32(0x46554747).u32(3);
        assertRejected(bytes(new Bytes().u32(0x12345678).u32(3).u64(0).u64(0)), "is not GGUF");
        assertRejected(bytes(new Bytes().u32(0x46554747).u32(1).u64(0).u64(0)), "version 1 not supported");
        assertRejected(bytes(new Bytes().u32(0x46554747).u32(3).u64(0)), "file truncated");
        assertRejected(bytes(head(1L << 40, 0)), "tensor count 1099511627776 cannot fit");
        assertRejected(bytes(head(0, -1L)), "metadata count 18446744073709551615 cannot fit");
        assertRejected(
                bytes(head(0, 1).str("k").u32(8).u64(Long.MIN_VALUE)), "string length 9223372036854775808 runs past");
        assertRejected(bytes(head(0, 1).str("k").u32(8).u64(-1L)), "string length 18446744073709551615");
        assertRejected(
                bytes(head(0, 1).str("k").u32(9).u32(0).u64(1L << 60)),
                "array of 1152921504606846976 UINT8 cannot fit");
        assertRejected(bytes(head(0, 1).str("k").u32(13)), "unknown value type 13");
        assertRejected(bytes(head(0, 1).str("k").u32(7).u8(2)), "bool byte 2");
        Bytes utf = head(0, 1).u64(2).u8(0xc3).u8(0x28);
        assertRejected(bytes(utf.u32(4).u32(0)), "metadata key #0: not valid UTF-8");
        assertRejected(bytes(head(0, 2).str("k").u32(4).u32(1).str("k").u32(4).u32(1)), "duplicate metadata key k");
        assertRejected(bytes(head(0, 1).str("general.alignment").u32(4).u32(48)), "general.alignment 48");
        Bytes deep = head(0, 1).str("k").u32(9);
        for (int i = 0; i < 40; i++) deep.u32(9).u64(1); // each level: element type ARRAY, one element
        assertRejected(bytes(deep), "nested over");
        assertRejected(
                bytes(head(1, 0)
                        .str("t")
                        .u32(5)
                        .u64(1)
                        .u64(1)
                        .u64(1)
                        .u64(1)
                        .u64(1)
                        .u32(0)
                        .u64(0)),
                "5 dimensions");
        assertRejected(
                bytes(head(1, 0)
                        .str("t")
                        .u32(2)
                        .u64(1L << 20)
                        .u64(1L << 20)
                        .u32(0)
                        .u64(0)
                        .pad(32)),
                "outside the");
        assertRejected(
                bytes(head(1, 0).str("t").u32(2).u64(1L << 62).u64(8).u32(0).u64(0)), "over 2^63");
        assertRejected(
                bytes(head(1, 0)
                        .str("t")
                        .u32(1)
                        .u64(4)
                        .u32(0)
                        .u64(3)
                        .pad(32)
                        .u64(0)
                        .u64(0)),
                "not aligned");
        assertRejected(
                bytes(head(1, 0).str("t").u32(1).u64(33).u32(8).u64(0).pad(32).zeros(128)), "not a multiple");
        assertRejected(
                bytes(head(2, 0)
                        .str("a")
                        .u32(1)
                        .u64(16)
                        .u32(0)
                        .u64(0)
                        .str("b")
                        .u32(1)
                        .u64(8)
                        .u32(0)
                        .u64(32)
                        .pad(32)
                        .zeros(128)),
                "overlaps");
        assertRejected(
                bytes(head(2, 0)
                        .str("a")
                        .u32(1)
                        .u64(1)
                        .u32(0)
                        .u64(0)
                        .str("a")
                        .u32(1)
                        .u64(1)
                        .u32(0)
                        .u64(32)
                        .pad(32)),
                "duplicate tensor name a");
        assertThat(head).isNotNull();
    }

    /** A 2.5 GiB F32 tensor, sparse on disk: too large for one buffer, read in windows. */
    @Test
    void aTensorOverTwoGibIsReadInWindows() throws IOException {
        long elements = 671_088_640L;
        long size = elements * 4;
        Path p = bytes(head(1, 0).str("big").u32(1).u64(elements).u32(0).u64(0).pad(32));
        long dataStart = Files.size(p);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(dataStart + size);
            raf.seek(dataStart + 2_600_000_000L);
            raf.write(new byte[] {0, 0, (byte) 0x80, 0x3f}); // 1.0f, little-endian
        }
        try (GgufFile f = GgufFile.open(p)) {
            GgufTensorInfo t = f.tensors().get(0);
            assertThat(t.byteLength()).isEqualTo(size);
            assertThatThrownBy(() -> f.data(t))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("over 2 GiB");
            assertThat(f.data(t, 2_600_000_000L, 4).getFloat(0)).isEqualTo(1.0f);
            assertThatThrownBy(() -> f.data(t, size - 3, 4))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("outside tensor big");
        }
    }

    private static Bytes head(long tensors, long kvs) {
        return new Bytes().u32(0x46554747).u32(3).u64(tensors).u64(kvs);
    }

    private int n;

    private Path bytes(Bytes b) throws IOException {
        Path p = tmp.resolve("bad" + (n++) + ".gguf");
        Files.write(p, b.toByteArray());
        return p;
    }

    private static void assertRejected(Path p, String what) {
        assertThatThrownBy(() -> GgufFile.open(p).close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining(what);
    }

    private static Map.Entry<String, GgufValue> kv(String k, GgufValue v) {
        return new AbstractMap.SimpleImmutableEntry<>(k, v);
    }
}
