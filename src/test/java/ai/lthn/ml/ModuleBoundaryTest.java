package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module boundary, seen from a consumer on the module path: a tiny consumer module is
 * compiled with javax.tools against the compiled module ({@code target/classes}) and its
 * dependencies, then run in a child JVM with {@code --module-path}. It can use the API (score,
 * write and read a score file through Jackson, serve a model on the Jetty server and call it through OkHttp,
 * find the engine registered with {@code provides}); it cannot compile against, or reflect into,
 * the unexported packages.
 */
class ModuleBoundaryTest {
    private static final String MODULE = "ai.lthn.ml";

    private static Path classes;
    private static List<Path> modulePath;

    @TempDir
    Path dir;

    @BeforeAll
    static void locateModule() throws URISyntaxException {
        classes = Path.of(Backend.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        assertThat(classes.resolve("module-info.class"))
                .as("the library is compiled as a module (run mvn compile first)")
                .exists();
        modulePath = dependencyClosure();
    }

    @Test
    void theLibraryExportsOnlyItsApiPackages() {
        ModuleDescriptor d = descriptor();
        Set<String> exported =
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported)
                .containsExactlyInAnyOrder(
                        "ai.lthn.ml",
                        "ai.lthn.ml.inference",
                        "ai.lthn.ml.backend",
                        "ai.lthn.ml.backend.mlx",
                        "ai.lthn.ml.backend.nativeengine",
                        "ai.lthn.ml.agent",
                        "ai.lthn.ml.data",
                        "ai.lthn.ml.format",
                        "ai.lthn.ml.score",
                        "ai.lthn.ml.score.stats",
                        "ai.lthn.ml.server",
                        "ai.lthn.ml.store",
                        "ai.lthn.ml.transport",
                        "ai.lthn.ml.testing",
                        "ai.lthn.ml.worker");
        assertThat(d.packages())
                .contains(
                        "ai.lthn.ml.internal",
                        "ai.lthn.ml.inference.internal",
                        "ai.lthn.ml.score.internal",
                        "ai.lthn.ml.cli");
        assertThat(d.requires().stream()
                        .filter(r -> r.name().equals("info.picocli"))
                        .findFirst()
                        .orElseThrow()
                        .modifiers())
                .as("picocli is needed by the CLI only")
                .contains(ModuleDescriptor.Requires.Modifier.STATIC);
    }

    @Test
    void aConsumerOnTheModulePathUsesTheApiAndCannotReflectIntoInternals() throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module consumer { requires ai.lthn.ml; }");
        write(src.resolve("consumer/Main.java"), CONSUMER);
        Path out = dir.resolve("out");
        String errors = compile(src, out);
        assertThat(errors).isEmpty();

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--module-path");
        command.add(out + File.pathSeparator + classes + File.pathSeparator + pathOf(modulePath));
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-m");
        command.add("consumer/consumer.Main");
        command.add(dir.resolve("scores.json").toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("module: ai.lthn.ml")
                .contains("heuristic: "
                        + ai.lthn.ml.score.HeuristicScorer.score("").lekScore()) // as on the class path
                .contains("read back: 1 model, 2 fields or more")
                .contains("http: hello from loopback")
                .contains("engine: metal")
                .contains("engine: native")
                .contains("internal: IllegalAccessException");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ai.lthn.ml.score.internal.GoText",
                "ai.lthn.ml.internal.Json",
                "ai.lthn.ml.inference.internal.GenerationOptions",
                "ai.lthn.ml.cli.Main"
            })
    void aConsumerCannotCompileAgainstAnUnexportedPackage(String type) throws IOException {
        Path src = dir.resolve("src");
        write(src.resolve("module-info.java"), "module consumer { requires ai.lthn.ml; }");
        write(
                src.resolve("consumer/Use.java"),
                "package consumer;\nimport " + type + ";\npublic class Use { Object o = "
                        + type.substring(type.lastIndexOf('.') + 1) + ".class; }\n");
        String errors = compile(src, dir.resolve("out"));
        String pkg = type.substring(0, type.lastIndexOf('.'));
        assertThat(errors).contains("package " + pkg + " is not visible");
        assertThat(errors).contains("declared in module ai.lthn.ml, which does not export it");
    }

    /** Compiles every source under {@code src} into {@code out}; returns the errors, empty on success. */
    private static String compile(Path src, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK, not a JRE").isNotNull();
        List<Path> sources;
        try (var walk = Files.walk(src)) {
            sources = walk.filter(f -> f.toString().endsWith(".java")).toList();
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            // not the test JVM's class path, where every package is visible
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of());
            List<String> options =
                    List.of("--module-path", classes + File.pathSeparator + pathOf(modulePath), "-d", out.toString());
            boolean ok = javac.getTask(
                            new StringWriter(),
                            files,
                            diagnostics,
                            options,
                            null,
                            files.getJavaFileObjectsFromPaths(sources))
                    .call();
            String errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            assertThat(ok).as(errors).isEqualTo(errors.isEmpty());
            return errors;
        }
    }

    private static ModuleDescriptor descriptor() {
        return ModuleFinder.of(classes).find(MODULE).orElseThrow().descriptor();
    }

    /**
     * The jars of the modules {@code ai.lthn.ml} needs at run time, found on the test class
     * path: the closure of its non-static {@code requires}, without the test-only jars (some of
     * which share packages and could not all be on one module path).
     */
    private static List<Path> dependencyClosure() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Map<String, Path> byModule = new HashMap<>();
        for (String entry : cp.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) continue;
            try {
                for (ModuleReference ref : ModuleFinder.of(p).findAll())
                    byModule.putIfAbsent(ref.descriptor().name(), p);
            } catch (FindException notAModule) {
                // a jar with no derivable module name is not one the library needs
            }
        }
        Set<Path> jars = new LinkedHashSet<>();
        Deque<ModuleDescriptor> todo = new ArrayDeque<>(List.of(descriptor()));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            for (ModuleDescriptor.Requires r : todo.pop().requires()) {
                if (r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) || !seen.add(r.name())) continue;
                if (ModuleFinder.ofSystem().find(r.name()).isPresent()) continue;
                Path jar = byModule.get(r.name());
                assertThat(jar)
                        .as("module " + r.name() + " on the test class path")
                        .isNotNull();
                jars.add(jar);
                todo.push(ModuleFinder.of(jar).find(r.name()).orElseThrow().descriptor());
            }
        }
        return List.copyOf(jars);
    }

    private static String pathOf(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static final String CONSUMER = """
            package consumer;

            import ai.lthn.ml.GenOpts;
            import ai.lthn.ml.backend.HttpBackend;
            import ai.lthn.ml.inference.Inference;
            import ai.lthn.ml.inference.InferenceEngine;
            import ai.lthn.ml.score.Engine;
            import ai.lthn.ml.score.EngineResult;
            import ai.lthn.ml.score.HeuristicScorer;
            import ai.lthn.ml.score.Response;
            import ai.lthn.ml.score.ScorerOutput;
            import ai.lthn.ml.score.Suite;
            import ai.lthn.ml.server.OpenAiServer;
            import ai.lthn.ml.testing.ScriptedTextModel;
            import java.nio.file.Path;
            import java.util.List;

            public class Main {
                public static void main(String[] args) throws Exception {
                    System.out.println("module: " + GenOpts.class.getModule().getName());
                    System.out.println("heuristic: " + HeuristicScorer.score("").lekScore());

                    Engine engine = Engine.builder(null).suites(Suite.HEURISTIC, Suite.EXACT).build();
                    EngineResult result = engine.scoreAll(List.of(
                            new Response("p1", "", "What is 6*7?", "It is 42, I think.", "m", 0, "42", "", "")));
                    Path file = Path.of(args[0]);
                    result.toOutput(ScorerOutput.Metadata.now("", "", List.of("heuristic", "exact"))).write(file);
                    ScorerOutput back = ScorerOutput.read(file);
                    System.out.println("read back: " + back.modelAverages().size() + " model, "
                            + (back.modelAverages().get("m").size() >= 2 ? "2 fields or more" : "too few fields"));

                    // the library's own server (Jetty, on the module path) as the upstream
                    try (OpenAiServer server = OpenAiServer.builder(ScriptedTextModel.of("hello", " from", " loopback"))
                            .port(0).build().start()) {
                        System.out.println("http: " + HttpBackend.builder(server.url(), "m").build().generate("hi", GenOpts.defaults()));
                    }

                    for (InferenceEngine e : Inference.engines()) System.out.println("engine: " + e.name());

                    try {
                        Class<?> internal = Class.forName("ai.lthn.ml.internal.AtomicFiles");
                        java.lang.reflect.Method m = java.util.Arrays.stream(internal.getDeclaredMethods())
                                .filter(x -> java.lang.reflect.Modifier.isPublic(x.getModifiers())
                                        && java.lang.reflect.Modifier.isStatic(x.getModifiers()))
                                .findFirst().orElseThrow();
                        m.invoke(null, new Object[m.getParameterCount()]);
                        System.out.println("internal: reachable");
                    } catch (IllegalAccessException e) {
                        System.out.println("internal: IllegalAccessException");
                    }
                }
            }
            """;
}
