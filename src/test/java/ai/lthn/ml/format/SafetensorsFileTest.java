package ai.lthn.ml.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsAndMapsOneTensorReadOnly() throws IOException {
        Path p = tmp.resolve("a.safetensors");
        ByteBuffer a = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ByteBuffer b = ByteBuffer.wrap(new byte[] {9, 10});
        SafetensorsWriter.write(
                p,
                List.of(
                        new SafetensorsWriter.Entry("z", "F16", List.of(2L, 2L), a),
                        new SafetensorsWriter.Entry("b", "BF16", List.of(1L), b)));
        byte[] raw = Files.readAllBytes(p);
        String header = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"z\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[2,10]}}";
        assertThat(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong(0))
                .isEqualTo(header.length());
        assertThat(new String(raw, 8, header.length(), StandardCharsets.UTF_8)).isEqualTo(header);
        assertThat(raw).hasSize(8 + header.length() + 10);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.tensors().keySet()).containsExactly("b", "z");
            ByteBuffer z = f.data("z");
            assertThat(z.isReadOnly()).isTrue();
            assertThat(z.remaining()).isEqualTo(8);
            assertThat(z.get(7)).isEqualTo((byte) 8);
            assertThatThrownBy(() -> z.put(0, (byte) 0)).isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> f.data("nope")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** 2.5 GiB, sparse on disk: too large for one buffer, read in windows. */
    @Test
    void aTensorOverTwoGibIsReadInWindows() throws IOException {
        long size = 2_684_354_560L;
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + size + "],\"data_offsets\":[0," + size + "]}}";
        Path p = tmp.resolve("big.safetensors");
        long dataStart = 8 + header.length();
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            ByteBuffer len =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length());
            raf.write(len.array());
            raf.write(header.getBytes(StandardCharsets.UTF_8));
            raf.setLength(dataStart + size);
            raf.seek(dataStart + size - 3);
            raf.write(new byte[] {7, 8, 9});
            raf.seek(dataStart + 2_500_000_000L);
            raf.write(new byte[] {42});
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThatThrownBy(() -> f.data("big"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("over 2 GiB")
                    .hasMessageContaining("data(tensor, offset, length)");
            ByteBuffer tail = f.data("big", size - 3, 3);
            assertThat(tail.isReadOnly()).isTrue();
            assertThat(new byte[] {tail.get(0), tail.get(1), tail.get(2)}).containsExactly(7, 8, 9);
            assertThat(f.data("big", 2_500_000_000L, 2).get(0)).isEqualTo((byte) 42);
            assertThat(f.data("big", size, 0).remaining()).isZero();
            assertThatThrownBy(() -> f.data("big", size - 2, 3))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("outside tensor big of " + size + " bytes");
            assertThatThrownBy(() -> f.data("big", -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> f.data("big", Long.MAX_VALUE, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> f.data("nope", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsEveryMalformedHeaderNamingFileAndField() throws IOException {
        String ok = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertRejected(file(ok, 7), "data_offsets [0, 8] outside the 7-byte data section");
        assertRejected(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes");
        assertRejected(
                file("{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8),
                "more than 2^63");
        assertRejected(
                file(
                        "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                                + "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}",
                        8),
                "overlap");
        assertRejected(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8), "shape");
        assertRejected(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8), "data_offsets");
        assertRejected(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8), "data_offsets");
        assertRejected(file("{\"t\":{\"dtype\":3,\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "dtype");
        assertRejected(file("{\"t\":1,\"t\":2}", 0), "header is not JSON");
        assertRejected(file("[]", 0), "not a JSON object");
        assertRejected(file("{} x", 0), "header is not JSON");

        Path bad = tmp.resolve("utf8.safetensors");
        byte[] name = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        write(bad, name, 8, 0);
        assertRejected(bad, "not valid UTF-8");

        Path huge = tmp.resolve("huge.safetensors");
        write(huge, new byte[0], Long.MIN_VALUE + 5, 0);
        assertRejected(huge, "header length");

        Path past = tmp.resolve("past.safetensors");
        write(past, "{}".getBytes(StandardCharsets.US_ASCII), 3, 0);
        assertRejected(past, "header length 3 runs past the end");

        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertRejected(tiny, "file too small");
    }

    private void assertRejected(Path p, String what) {
        assertThatThrownBy(() -> SafetensorsFile.open(p).close())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining(what);
    }

    private int n;

    private Path file(String header, int dataBytes) throws IOException {
        Path p = tmp.resolve("f" + (n++) + ".safetensors");
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        write(p, h, h.length, dataBytes);
        return p;
    }

    private static void write(Path p, byte[] header, long declared, int dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declared).put(header);
        Files.write(p, b.array());
    }
}
