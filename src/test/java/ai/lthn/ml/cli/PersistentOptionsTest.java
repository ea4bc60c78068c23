package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.ChildJvm;
import ai.lthn.ml.server.OpenAiServer;
import ai.lthn.ml.testing.ScriptedTextModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * go-ml's persistent options: accepted before or after the command name, with go-ml HEAD's
 * environment fallbacks (read by a separate process, the only way to give it an environment).
 */
class PersistentOptionsTest {
    @TempDir
    Path dir;

    private OpenAiServer model;

    @BeforeEach
    void serve() {
        model = OpenAiServer.builder(ScriptedTextModel.of("I", " am", " not", " sure."))
                .port(0)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void anOptionBeforeTheCommandNameReachesTheCommand() {
        CliRun before = CliRun.of("--api-url", model.url(), "--model", "m1", "probe");
        assertThat(before.status()).as(before.err()).isZero();
        assertThat(before.out()).contains("Running 23 capability probes against " + model.url());

        CliRun after = CliRun.of("probe", "--api-url", model.url(), "--model", "m1");
        assertThat(after.status()).as(after.err()).isZero();
        assertThat(after.out()).isEqualTo(before.out());
    }

    @Test
    void aMissingApiUrlIsAUsageErrorThatNamesTheVariable() {
        CliRun r = CliRun.of("probe");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--api-url is required (or set ML_API_URL)");
    }

    @Test
    void everyCommandThatNeedsThemListsThePersistentOptions() {
        for (String command : List.of("probe", "score", "serve", "chat", "agent")) {
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.out())
                    .as(command)
                    .contains("--api-url")
                    .contains("--judge-url")
                    .contains("--judge-model")
                    .contains("--influx")
                    .contains("--influx-db")
                    .contains("--db")
                    .contains("--model");
        }
    }

    @Test
    void theEnvironmentStandsInForAnAbsentOption() throws Exception {
        Proc viaEnv = ml(Map.of("ML_API_URL", model.url(), "ML_MODEL", "m-env"), "probe");
        assertThat(viaEnv.status()).as(viaEnv.err()).isZero();
        assertThat(viaEnv.out()).contains("Running 23 capability probes against " + model.url());

        // an option given on the command line wins over the environment
        Proc flagWins = ml(Map.of("ML_API_URL", "http://127.0.0.1:1"), "--api-url", model.url(), "probe");
        assertThat(flagWins.status()).as(flagWins.err()).isZero();
        assertThat(flagWins.out()).contains("against " + model.url());
    }

    private record Proc(int status, String out, String err) {}

    private Proc ml(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(ChildJvm.command(Main.class));
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ML_") || k.equals("LEM_DB"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Proc(p.exitValue(), out, java.nio.file.Files.readString(dir.resolve("err.txt")));
    }
}
