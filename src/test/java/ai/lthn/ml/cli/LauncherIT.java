package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.lthn.ml.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ml} (src/main/scripts/ml, copied to target/ml) run as users run it, on the
 * JDK running the tests, beside the built {@code ml-cli.jar}: its output is {@code java -jar}'s,
 * it writes its class-data archive once and then uses it, and a damaged, truncated or disabled
 * archive changes nothing but speed.
 */
class LauncherIT {
    private static final Path JAR = Path.of("target", "ml-cli.jar").toAbsolutePath();
    private static final Path SCRIPT = Path.of("src", "main", "scripts", "ml").toAbsolutePath();

    @TempDir
    Path dir;

    private Path install;
    private Path input;

    @BeforeEach
    void install() throws IOException {
        assumeTrue(Files.isRegularFile(JAR), "target/ml-cli.jar is not built (mvn package)");
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        install = Files.createDirectory(dir.resolve("install"));
        Files.createSymbolicLink(install.resolve("ml-cli.jar"), JAR);
        Files.copy(SCRIPT, install.resolve("ml"));
        input = dir.resolve("responses.jsonl");
        Files.writeString(input, Training.responses(300, new SplittableRandom(7)), StandardCharsets.UTF_8);
    }

    @AfterEach
    void unlink() throws IOException {
        if (install != null) Files.deleteIfExists(install.resolve("ml-cli.jar")); // the link, not the jar
    }

    @Test
    void theBuildShipsTheLauncherBesideTheJar() throws IOException {
        Path built = Path.of("target", "ml");
        assertThat(built).exists().hasSameBinaryContentAs(SCRIPT);
        assertThat(Files.getPosixFilePermissions(built)).contains(PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void itPrintsAndWritesWhatJavaDashJarDoesAndUsesItsArchiveFromTheSecondRun() throws Exception {
        Run reference = score(List.of(ChildJvm.JAVA, "-jar", JAR.toString()), Map.of(), "reference.json");

        Run first = launcher(Map.of(), "first.json");
        assertThat(first.err()).contains("writing the start-up archive");
        first.assertSameAs(reference);
        Path archive = archive();
        assertThat(archive.resolveSibling(archive.getFileName() + ".bytes")).hasContent(Files.size(archive) + "\n");

        Path classes = dir.resolve("classes.log");
        Run second = launcher(Map.of("ML_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), "second.json");
        assertThat(second.err()).doesNotContain("writing the start-up archive");
        second.assertSameAs(reference);
        String loaded = Files.readString(classes);
        assertThat(loaded).containsPattern("ai\\.lthn\\.ml\\.cli\\.Main source: shared");
        // picocli's classes, upgraded from Java 5 by the build (UpgradeClassFiles), are in the archive too
        assertThat(loaded).containsPattern("picocli\\.CommandLine source: shared");
        assertThat(loaded).doesNotContainPattern("picocli\\.\\S+ source: (file|jar):");
    }

    @Test
    void aDamagedArchiveOnlyCostsSpeed() throws Exception {
        Run reference = launcher(Map.of(), "reference.json");
        Path archive = archive();

        // the same length, other bytes in the middle: the JVM's checksum refuses it
        byte[] bytes = Files.readAllBytes(archive);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 4096; i++) bytes[i] ^= 0x5a;
        archive.toFile().setWritable(true);
        Files.write(archive, bytes);
        Run damaged = launcher(Map.of(), "damaged.json");
        damaged.assertSameAs(reference);

        // cut short: the launcher writes it again
        Files.write(archive, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Run truncated = launcher(Map.of(), "truncated.json");
        assertThat(truncated.err()).contains("writing the start-up archive");
        truncated.assertSameAs(reference);
        assertThat(Files.size(archive)).isGreaterThan(bytes.length / 2);
        assertThat(archive.resolveSibling(archive.getFileName() + ".bytes")).hasContent(Files.size(archive) + "\n");
    }

    @Test
    void theArchiveLeavesTheJitFreeToCompileTheScorer() throws Exception {
        // The training exits with many compilations still queued (a hundredth of the usual
        // thresholds, as on a busy core). JDK 17's dynamic archive kept those methods marked
        // "queued", and runs with the archive never compiled them: ml score ran 4x slower.
        Path responses = dir.resolve("many.jsonl");
        Files.writeString(responses, Training.responses(2000, new SplittableRandom(11)), StandardCharsets.UTF_8);
        Run trained = run(
                scoreCommand(List.of("/bin/sh", install.resolve("ml").toString()), responses, "trained.json"),
                Map.of("JAVA_TOOL_OPTIONS", "-XX:CompileThresholdScaling=0.01"));
        assertThat(trained.status()).as(trained.err()).isZero();
        assertThat(trained.err()).contains("writing the start-up archive");
        archive();

        Set<String> hot = compiledScorerMethods(Map.of("ML_CDS", "off"), responses, "off1");
        hot.retainAll(compiledScorerMethods(Map.of("ML_CDS", "off"), responses, "off2"));
        assertThat(hot).as("the scorer's methods compiled without an archive").hasSizeGreaterThan(20);
        Set<String> withArchive = compiledScorerMethods(Map.of(), responses, "archived");
        assertThat(withArchive).containsAll(hot);
    }

    /** The ai.lthn.ml.score methods the JIT compiled while {@code ml score} ran on {@code input}. */
    private Set<String> compiledScorerMethods(Map<String, String> env, Path input, String name) throws Exception {
        Path log = dir.resolve(name + ".jit.log");
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("ML_JAVA_OPTS", "-Xlog:jit+compilation=debug:file=" + log);
        Run r = run(scoreCommand(List.of("/bin/sh", install.resolve("ml").toString()), input, name + ".json"), all);
        assertThat(r.status()).as(r.err()).isZero();
        Set<String> methods = new TreeSet<>();
        Matcher m = Pattern.compile("(ai\\.lthn\\.ml\\.score\\.\\S+::\\S+)").matcher(Files.readString(log));
        while (m.find()) methods.add(m.group(1));
        return methods;
    }

    @Test
    void theJdksReleaseFileNamesTheArchive() throws Exception {
        // a JDK whose java is a script (readlink -f stays on it) and whose release file the test
        // writes: an early-access version, characters no file name should hold, no last newline
        Path jdk = Files.createDirectories(dir.resolve("jdk").resolve("bin")).getParent();
        Path java = jdk.resolve("bin").resolve("java");
        Files.writeString(java, "#!/bin/sh\nexec '" + ChildJvm.JAVA + "' \"$@\"\n");
        java.toFile().setExecutable(true);
        Files.writeString(
                jdk.resolve("release"),
                "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"17.0.99-ea+3 (a/b)\"\nJAVA_VERSION=\"17.0.99-ea\"");
        Run reference = score(List.of(ChildJvm.JAVA, "-jar", JAR.toString()), Map.of(), "reference.json");
        Run run = launcher(Map.of("JAVA_HOME", jdk.toString()), "fake.json");
        run.assertSameAs(reference);
        assertThat(run.err()).contains("ml-cli.17.0.99-ea_3__a_b_.jsa");
        assertThat(install.resolve("ml-cli.17.0.99-ea_3__a_b_.jsa")).exists();
    }

    @Test
    void mlCdsOffRunsWithoutAnArchive() throws Exception {
        Run reference = score(List.of(ChildJvm.JAVA, "-jar", JAR.toString()), Map.of(), "reference.json");
        Run off = launcher(Map.of("ML_CDS", "off"), "off.json");
        off.assertSameAs(reference);
        assertThat(off.err()).doesNotContain("archive");
        try (Stream<Path> files = Files.list(install)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ml", "ml-cli.jar");
        }
    }

    @Test
    void mlJavaOptsComeLastAndMayNameAnotherCollector() throws Exception {
        Run reference = score(List.of(ChildJvm.JAVA, "-jar", JAR.toString()), Map.of(), "reference.json");
        Run parallel = launcher(Map.of("ML_CDS", "off", "ML_JAVA_OPTS", "-XX:+UseParallelGC"), "parallel.json");
        parallel.assertSameAs(reference);
    }

    @Test
    void usageErrorsKeepTheirStatus() throws Exception {
        Run unknown = run(List.of("/bin/sh", install.resolve("ml").toString(), "frobnicate"), Map.of("ML_CDS", "off"));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("frobnicate");
        // through a symlink elsewhere (as on PATH): the jar is found beside the script itself
        Path link = Files.createSymbolicLink(
                Files.createDirectory(dir.resolve("bin")).resolve("ml"), install.resolve("ml"));
        Run version = run(List.of("/bin/sh", link.toString(), "--version"), Map.of("ML_CDS", "off"));
        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("ml (lthn-ml) ");
    }

    private Path archive() throws IOException {
        try (Stream<Path> files = Files.list(install)) {
            List<Path> archives = files.filter(p -> p.toString().matches(".*/ml-cli\\..+\\.(jsa|aot)"))
                    .toList();
            assertThat(archives).hasSize(1);
            return archives.get(0);
        }
    }

    private Run launcher(Map<String, String> env, String output) throws Exception {
        return score(List.of("/bin/sh", install.resolve("ml").toString()), env, output);
    }

    private Run score(List<String> ml, Map<String, String> env, String output) throws Exception {
        Path out = dir.resolve(output);
        Run r = run(scoreCommand(ml, input, output), env);
        assertThat(r.status()).as(r.err()).isZero();
        // the one line that differs between two runs is the time of the run
        String written = Files.readString(out).replaceFirst("\"scored_at\": \"[^\"]*\"", "\"scored_at\": \"\"");
        return new Run(r.status(), r.out(), r.err(), written);
    }

    private List<String> scoreCommand(List<String> ml, Path in, String output) {
        List<String> command = new ArrayList<>(ml);
        command.addAll(List.of(
                "score",
                "--suites",
                "heuristic",
                "--input",
                in.toString(),
                "--output",
                dir.resolve(output).toString()));
        return command;
    }

    private Run run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectError(dir.resolve("err.txt").toFile())
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ML_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ml did not finish in 300 s: " + command);
        }
        return new Run(
                p.exitValue(),
                Files.readString(dir.resolve("out.txt")),
                Files.readString(dir.resolve("err.txt")),
                null);
    }

    private record Run(int status, String out, String err, String written) {
        void assertSameAs(Run reference) {
            assertThat(status).as(err).isZero();
            assertThat(out).isEqualTo(reference.out());
            assertThat(written).isEqualTo(reference.written());
        }
    }
}
