package ai.lthn.ml.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding external tools the browser and client tests drive. */
final class Tools {
    private Tools() {}

    /**
     * Skips the test with {@code message} when {@code ok} is false, or fails it when the
     * environment sets LTHN_REQUIRE_TEST_TOOLS (as .ci/run does, after installing the tools).
     */
    static void require(boolean ok, String message) {
        if (System.getenv("LTHN_REQUIRE_TEST_TOOLS") != null) {
            if (!ok) throw new AssertionError(message + " (LTHN_REQUIRE_TEST_TOOLS is set)");
        } else {
            org.junit.jupiter.api.Assumptions.assumeTrue(ok, message);
        }
    }

    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) if (Files.isExecutable(Path.of(dir, name))) return true;
        return false;
    }
}
