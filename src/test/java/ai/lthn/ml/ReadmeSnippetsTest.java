package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block in README.md compiles, as a new user would paste it: with the
 * imports README's "Java quick start" lists (plus the block's own), and its inputs (names the
 * block uses without declaring, listed there too) as fields. A block of statements is the body
 * of a method that declares no checked exception; a block that declares methods is the body of a
 * class. Compiled with javax.tools against the library and its dependencies.
 */
class ReadmeSnippetsTest {
    /** The imports README documents for its snippets. */
    static final List<String> PRELUDE = List.of(
            "ai.lthn.ml.*",
            "ai.lthn.ml.inference.*",
            "ai.lthn.ml.backend.*",
            "ai.lthn.ml.score.*",
            "ai.lthn.ml.server.*",
            "ai.lthn.ml.store.*",
            "ai.lthn.ml.transport.*",
            "ai.lthn.ml.testing.*",
            "java.nio.file.Path",
            "java.time.Duration",
            "java.util.List",
            "java.util.Map");

    /** The inputs README documents: what a snippet is given rather than declares. */
    static final String INPUTS = """
            TextModel model;
            Backend backend;
            Judge judge;
            String prompt;
            String response;
            List<Response> responses;
            java.util.concurrent.Executor myExecutor;
            Path path;
            """;

    private static final Pattern BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern MEMBER = Pattern.compile("(?m)^(public |private |static |void |[A-Z]\\w* \\w+\\()");

    @TempDir
    Path dir;

    @Test
    void everyJavaBlockInTheReadmeCompiles() throws IOException, URISyntaxException {
        String readme = Files.readString(Path.of("README.md"));
        List<Path> sources = new ArrayList<>();
        Path src = Files.createDirectories(dir.resolve("src/readme"));
        Files.writeString(
                src.resolve("Inputs.java"),
                "package readme;\n" + imports("") + "\nabstract class Inputs {\n" + INPUTS.indent(4) + "}\n");
        sources.add(src.resolve("Inputs.java"));
        Matcher m = BLOCK.matcher(readme);
        int blocks = 0;
        while (m.find()) {
            int line = (int) readme.substring(0, m.start()).lines().count() + 2; // the block's first line
            String block = m.group(1);
            StringBuilder own = new StringBuilder();
            StringBuilder body = new StringBuilder();
            for (String l : block.split("\n", -1))
                (l.startsWith("import ") ? own : body).append(l).append('\n');
            boolean members = MEMBER.matcher(body).find();
            String name = "Line" + line;
            String unit = "package readme;\n" + imports(own.toString()) + "\n@SuppressWarnings(\"unused\")\nclass "
                    + name + " extends Inputs {\n"
                    + (members ? body : "void snippet() {\n" + body + "}\n") + "}\n";
            Path file = src.resolve(name + ".java");
            Files.writeString(file, unit);
            sources.add(file);
            blocks++;
        }
        assertThat(blocks).as("java blocks in README.md").isGreaterThanOrEqualTo(8);
        assertThat(compile(sources)).isEmpty();
    }

    private static String imports(String own) {
        return PRELUDE.stream().map(i -> "import " + i + ";").collect(Collectors.joining("\n")) + "\n" + own;
    }

    /** Compiles the sources against the test class path; returns the errors, each with its README line. */
    private String compile(List<Path> sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK, not a JRE").isNotNull();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            boolean ok = javac.getTask(
                            new StringWriter(),
                            files,
                            diagnostics,
                            List.of("-classpath", cp, "-d", dir.resolve("out").toString(), "-proc:none"),
                            null,
                            files.getJavaFileObjectsFromPaths(sources))
                    .call();
            String errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(ReadmeSnippetsTest::describe)
                    .collect(Collectors.joining("\n"));
            assertThat(ok).as(errors).isEqualTo(errors.isEmpty());
            return errors;
        }
    }

    /** "README.md block at line N: message" for a diagnostic in a generated unit. */
    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        String source = d.getSource() == null ? "?" : new File(d.getSource().getName()).getName();
        return "README.md block at " + source.replace(".java", "").replace("Line", "line ") + " (generated line "
                + d.getLineNumber() + "): " + d.getMessage(Locale.ROOT);
    }
}
