package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block in README.md compiles against the library as it is. A block is a
 * method body, or, when it starts with a method declaration, members of the class; the names it uses without declaring them ({@code model}, {@code backend}, {@code
 * response}, …) are the fields of {@link #PRELUDE}, which its own declarations may shadow; its
 * {@code import} lines are moved to the top.
 */
class ReadmeSnippetsTest {
    private static final String IMPORTS = String.join(
            "\n",
            "import ai.lthn.ml.*;",
            "import ai.lthn.ml.agent.*;",
            "import ai.lthn.ml.backend.*;",
            "import ai.lthn.ml.format.*;",
            "import ai.lthn.ml.inference.*;",
            "import ai.lthn.ml.score.*;",
            "import ai.lthn.ml.score.stats.*;",
            "import ai.lthn.ml.server.*;",
            "import ai.lthn.ml.store.*;",
            "import ai.lthn.ml.testing.*;",
            "import ai.lthn.ml.testing.ScriptedTextModel.Script;",
            "import ai.lthn.ml.transport.*;",
            "import java.net.URI;",
            "import java.nio.ByteBuffer;",
            "import java.nio.file.Path;",
            "import java.time.Duration;",
            "import java.util.List;",
            "import java.util.Map;",
            "import java.util.Set;",
            "import java.util.concurrent.ExecutorService;");

    /** The names README's snippets use without declaring them. */
    private static final String PRELUDE = String.join(
            "\n",
            "    TextModel model;",
            "    Backend backend;",
            "    Judge judge;",
            "    String prompt, response, answer, judgeReply, upstreamUrl, dir;",
            "    Path path, localFile, localConfig;",
            "    long deterministicTs;",
            "    double[] oldLek, newLek;",
            "    List<Response> responses;",
            "    ExecutorService myExecutor;",
            "    void log(Object... values) {}");

    /** The start of a method declaration: modifiers, a return type, a name and a parameter list. */
    private static final Pattern METHOD = Pattern.compile(
            "(?:(?:public|private|protected|static|final)\\s+)*[\\w<>\\[\\], ]+\\s+\\w+\\s*\\([^)]*\\)\\s*(?:throws\\s+[\\w., ]+)?\\{");

    @TempDir
    Path out;

    @Test
    void everyJavaBlockInTheReadmeCompiles() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<JavaFileObject> units = new ArrayList<>();
        int n = 0;
        while (m.find()) {
            n++;
            StringBuilder imports = new StringBuilder(IMPORTS).append('\n');
            StringBuilder body = new StringBuilder();
            for (String line : m.group(1).split("\n", -1)) {
                if (line.startsWith("import ")) imports.append(line).append('\n');
                else body.append("        ").append(line).append('\n');
            }
            String name = "Snippet" + n;
            // a block that declares methods stands in the class; any other is a method body
            boolean declarations = METHOD.matcher(body.toString().strip()).lookingAt();
            String source = imports + "\nclass " + name + " {\n" + PRELUDE + "\n\n"
                    + (declarations ? body : "    void run() throws Exception {\n" + body + "    }\n") + "}\n";
            units.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }
        assertThat(n).as("java blocks in README.md").isGreaterThan(5);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        boolean ok = javac.getTask(
                        log,
                        null,
                        diagnostics,
                        List.of(
                                "-proc:none",
                                "-d",
                                out.toString(),
                                "-classpath",
                                System.getProperty("java.class.path")),
                        null,
                        units)
                .call();
        StringBuilder problems = new StringBuilder();
        diagnostics
                .getDiagnostics()
                .forEach(d -> problems.append(
                                d.getSource() == null ? "" : d.getSource().getName())
                        .append(':')
                        .append(d.getLineNumber())
                        .append(": ")
                        .append(d.getMessage(null))
                        .append('\n'));
        assertThat(ok)
                .as("README snippets that do not compile:\n" + problems + log)
                .isTrue();
    }
}
