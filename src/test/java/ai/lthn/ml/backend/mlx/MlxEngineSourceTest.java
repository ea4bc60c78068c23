package ai.lthn.ml.backend.mlx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What of the macOS-only MLX engine can be checked here: its tokenizer (bpe.c) built and run by
 * {@code src/main/native/mlx/check-mlx-engine.sh} with gcc, and, when {@code MLX_C_INCLUDE} names
 * mlx-c's headers (a checkout's root, holding {@code mlx/c/mlx.h}), the engine compiled against
 * them. The engine itself runs only on a Mac.
 */
class MlxEngineSourceTest {
    @TempDir
    Path work;

    @Test
    void theTokenizerPassesItsChecksAndTheEngineCompilesAgainstMlxCWhenGiven() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/gcc")))
            Assumptions.abort("no gcc: install the Debian package gcc to check the MLX engine's C sources");
        List<String> cmd = new ArrayList<>(List.of("bash", "src/main/native/mlx/check-mlx-engine.sh", work.toString()));
        String headers = System.getenv("MLX_C_INCLUDE");
        if (headers != null && !headers.isBlank()) cmd.add(headers);
        Path log = work.resolve("check.log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("check finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("bpe_check: ok");
        if (cmd.size() > 3) assertThat(out).contains("mlx_engine.c: syntax ok");
    }
}
