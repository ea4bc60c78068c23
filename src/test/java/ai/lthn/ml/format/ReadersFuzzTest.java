package ai.lthn.ml.format;

import ai.lthn.ml.InvalidInputException;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Both readers on mutated files (Jazzer). Every input goes to {@link SafetensorsFile} and
 * {@link GgufFile}; each tensor they index is then mapped and read end to end. The only failure
 * allowed is {@link InvalidInputException}: anything else (an OOM, an IndexOutOfBounds, a negative
 * size, a hang caught by Jazzer's per-input timeout) fails the test and Jazzer keeps the input.
 *
 * <p>Seeds ({@code ReadersFuzzTestInputs/bothReaders/}): a GGUF written by llama.cpp's gguf-py, a
 * GGUF LoRA and two safetensors files written by go-ml 3918051 (the byte-identity fixtures). In
 * {@code mvn verify} it fuzzes for a bounded time (surefire execution {@code fuzz},
 * {@code JAZZER_FUZZ=1}); in an IDE without that variable it replays the seeds and any crash
 * inputs kept beside them, which is how a crash found becomes a regression test.
 */
class ReadersFuzzTest {
    private static Path file;

    @BeforeAll
    static void tempFile() throws IOException {
        file = Files.createTempFile("lthn-fuzz-", ".bin");
    }

    @AfterAll
    static void removeTempFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = "40s")
    void bothReaders(byte[] input) throws IOException {
        Files.write(file, input);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.tensors().keySet()) drain(f.data(name));
        } catch (InvalidInputException expected) {
            // a clean refusal is the right answer to a bad file
        }
        try (GgufFile g = GgufFile.open(file)) {
            for (GgufTensorInfo t : g.tensors()) {
                if (t.byteLength() >= 0) drain(g.data(t));
            }
        } catch (InvalidInputException expected) {
            // a clean refusal is the right answer to a bad file
        }
    }

    private static void drain(ByteBuffer b) {
        long sum = 0;
        while (b.hasRemaining()) sum += b.get();
        if (sum == Long.MIN_VALUE) throw new AssertionError("unreachable");
    }
}
