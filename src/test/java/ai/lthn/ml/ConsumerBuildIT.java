package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer's Maven build: a project depending on the just-packaged artifact and on OkHttp 4.12
 * (as many SDKs bring it) resolves exactly one OkHttp, and {@code HttpBackend} works on it.
 *
 * <p>The packaged jar and pom are placed in a temporary local repository under a release version
 * of their own; everything else comes from the outer build's local repository, read as a {@code
 * file:} repository (and, when the outer build is online, from Maven Central for what it lacks).
 * When the outer build is offline, Central is mirrored to that local repository, so the consumer
 * build never touches the network. Maven is the one running the outer build ({@code maven.home}).
 */
class ConsumerBuildIT {
    private static final String VERSION = "0.0.0-consumer-it";
    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:"
            + System.getProperty("consumer.it.dependency.plugin", "3.9.0");

    @TempDir
    static Path dir;

    private static List<Path> classPath;
    private static String mavenOutput;

    @BeforeAll
    static void resolveTheConsumer() throws Exception {
        Path jar = Path.of(property("consumer.it.jar"));
        Path pom = Path.of(property("consumer.it.pom"));
        Path outerRepo = Path.of(property("consumer.it.outer.repo"));
        boolean offline = property("consumer.it.offline").equals("offline=true");
        Path mvn = Path.of(property("consumer.it.maven.home"), "bin", "mvn");
        assertThat(jar)
                .as("the packaged artifact (failsafe runs after package)")
                .isRegularFile();
        assertThat(mvn).as("the Maven running this build").isExecutable();

        Path repo = dir.resolve("repo");
        Path installed = repo.resolve("ai/lthn/core/ml/" + VERSION);
        Files.createDirectories(installed);
        Files.copy(jar, installed.resolve("ml-" + VERSION + ".jar"));
        String projectPom = Files.readString(pom);
        String version = "<version>" + property("consumer.it.version") + "</version>";
        assertThat(projectPom).contains(version);
        Files.writeString(
                installed.resolve("ml-" + VERSION + ".pom"),
                projectPom.replaceFirst(java.util.regex.Pattern.quote(version), "<version>" + VERSION + "</version>"));

        String outerUrl = outerRepo.toUri().toString();
        Path consumer = dir.resolve("consumer");
        Files.createDirectories(consumer);
        Files.writeString(consumer.resolve("pom.xml"), consumerPom(outerUrl));
        Files.writeString(dir.resolve("settings.xml"), settings(repo, offline ? outerUrl : null));

        Path cpFile = dir.resolve("cp.txt");
        List<String> command = List.of(
                mvn.toString(),
                "-B",
                "-ntp",
                "-s",
                dir.resolve("settings.xml").toString(),
                "-f",
                consumer.resolve("pom.xml").toString(),
                DEPENDENCY_PLUGIN + ":build-classpath",
                "-Dmdep.outputFile=" + cpFile);
        Path log = dir.resolve("mvn.log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        p.getOutputStream().close();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        mavenOutput = Files.readString(log);
        assertThat(done)
                .as("the consumer build finished within 10 minutes: " + mavenOutput)
                .isTrue();
        assertThat(p.exitValue()).as(mavenOutput).isZero();
        classPath = Arrays.stream(Files.readString(cpFile).trim().split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .toList();
    }

    @Test
    void theConsumerResolvesExactlyOneOkHttp() throws IOException {
        List<String> withClient = new ArrayList<>();
        for (Path entry : classPath) {
            try (JarFile jar = new JarFile(entry.toFile())) {
                if (jar.getEntry("okhttp3/OkHttpClient.class") != null)
                    withClient.add(entry.getFileName().toString());
            }
        }
        assertThat(withClient).as("class path: " + classPath).containsExactly("okhttp-4.12.0.jar");
        assertThat(classPath)
                .extracting(p -> p.getFileName().toString())
                .as("the library itself is on it")
                .contains("ml-" + VERSION + ".jar")
                .noneMatch(name -> name.startsWith("okhttp-jvm"));
    }

    @Test
    void httpBackendWorksOnTheConsumersOkHttp() throws Exception {
        Path src = dir.resolve("main-src/consumer/Main.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, CONSUMER_MAIN);
        Path out = dir.resolve("main-out");
        Files.createDirectories(out);
        String cp = classPath.stream()
                .map(Path::toString)
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElseThrow();
        var errors = new java.io.ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler()
                .run(null, errors, errors, "-cp", cp, "-d", out.toString(), src.toString());
        assertThat(rc).as(errors.toString(StandardCharsets.UTF_8)).isZero();

        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        out + File.pathSeparator + cp,
                        "consumer.Main")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("okhttp: 4.12.0")
                .contains("generate: hello from loopback")
                .contains("stream: hel|lo")
                .contains("models: [m1, m2]")
                .contains("embed: 2 vectors, [0.5, -1.0]")
                .contains("error: ")
                .contains("bad thing")
                .as("the idle watchdog cancels an OkHttp 4 call")
                .contains("stall: MlTimeoutException after first");
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value)
                .as("system property " + name + " (set by the pom's failsafe configuration)")
                .isNotBlank();
        return value;
    }

    private static String consumerPom(String outerUrl) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>consumer</groupId>
                  <artifactId>consumer</artifactId>
                  <version>1</version>
                  <repositories>
                    <repository><id>outer-local</id><url>%1$s</url></repository>
                  </repositories>
                  <pluginRepositories>
                    <pluginRepository><id>outer-local</id><url>%1$s</url></pluginRepository>
                  </pluginRepositories>
                  <dependencies>
                    <dependency>
                      <groupId>ai.lthn.core</groupId>
                      <artifactId>ml</artifactId>
                      <version>%2$s</version>
                    </dependency>
                    <dependency>
                      <groupId>com.squareup.okhttp3</groupId>
                      <artifactId>okhttp</artifactId>
                      <version>4.12.0</version>
                    </dependency>
                  </dependencies>
                </project>
                """.formatted(outerUrl, VERSION);
    }

    private static String settings(Path localRepo, String centralMirror) {
        String mirror = centralMirror == null
                ? ""
                : "<mirrors><mirror><id>outer-local-central</id><mirrorOf>central</mirrorOf><url>" + centralMirror
                        + "</url></mirror></mirrors>";
        return "<settings><localRepository>" + localRepo + "</localRepository>" + mirror + "</settings>\n";
    }

    /** A consumer's program: HttpBackend against a loopback JDK HttpServer speaking OpenAI. */
    private static final String CONSUMER_MAIN = """
            package consumer;

            import ai.lthn.ml.GenOpts;
            import ai.lthn.ml.backend.HttpBackend;
            import ai.lthn.ml.inference.TokenStream;
            import com.sun.net.httpserver.HttpExchange;
            import com.sun.net.httpserver.HttpServer;
            import java.io.IOException;
            import java.net.InetAddress;
            import java.net.InetSocketAddress;
            import java.nio.charset.StandardCharsets;
            import java.time.Duration;
            import java.util.Arrays;
            import java.util.List;

            public class Main {
                static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    ex.getRequestBody().readAllBytes();
                    ex.getResponseHeaders().set("Content-Type", type);
                    ex.sendResponseHeaders(status, bytes.length);
                    ex.getResponseBody().write(bytes);
                    ex.close();
                }

                public static void main(String[] args) throws Exception {
                    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                    server.createContext("/ok/v1/chat/completions", ex -> {
                        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                        if (body.contains("\\"stream\\":true")) {
                            reply(ex, 200, "text/event-stream",
                                    "data: {\\"choices\\":[{\\"index\\":0,\\"delta\\":{\\"role\\":\\"assistant\\",\\"content\\":\\"hel\\"}}]}\\n\\n"
                                    + "data: {\\"choices\\":[{\\"index\\":0,\\"delta\\":{\\"content\\":\\"lo\\"},\\"finish_reason\\":\\"stop\\"}]}\\n\\n"
                                    + "data: [DONE]\\n\\n");
                        } else {
                            reply(ex, 200, "application/json",
                                    "{\\"choices\\":[{\\"index\\":0,\\"message\\":{\\"role\\":\\"assistant\\",\\"content\\":\\"hello from loopback\\"},\\"finish_reason\\":\\"stop\\"}]}");
                        }
                    });
                    server.createContext("/ok/v1/models", ex -> reply(ex, 200, "application/json",
                            "{\\"object\\":\\"list\\",\\"data\\":[{\\"id\\":\\"m1\\",\\"object\\":\\"model\\"},{\\"id\\":\\"m2\\",\\"object\\":\\"model\\"}]}"));
                    server.createContext("/ok/v1/embeddings", ex -> reply(ex, 200, "application/json",
                            "{\\"object\\":\\"list\\",\\"data\\":[{\\"index\\":1,\\"embedding\\":[2.0]},{\\"index\\":0,\\"embedding\\":[0.5,-1.0]}]}"));
                    server.createContext("/bad/v1/chat/completions", ex -> reply(ex, 400, "application/json",
                            "{\\"error\\":{\\"message\\":\\"bad thing\\",\\"type\\":\\"invalid_request_error\\"}}"));
                    server.createContext("/stall/v1/chat/completions", ex -> {
                        ex.getRequestBody().readAllBytes();
                        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                        ex.sendResponseHeaders(200, 0);
                        ex.getResponseBody().write("data: {\\"choices\\":[{\\"index\\":0,\\"delta\\":{\\"content\\":\\"first\\"}}]}\\n\\n"
                                .getBytes(StandardCharsets.UTF_8));
                        ex.getResponseBody().flush();
                        try {
                            Thread.sleep(60_000); // then silence: the client's idle limit must end it
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        ex.close();
                    });
                    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r);
                        t.setDaemon(true);
                        return t;
                    }));
                    server.start();
                    String base = "http://127.0.0.1:" + server.getAddress().getPort();
                    try {
                        System.out.println("okhttp: " + okhttp3.OkHttp.VERSION);
                        HttpBackend ok = HttpBackend.builder(base + "/ok", "m").timeout(Duration.ofSeconds(30)).build();
                        System.out.println("generate: " + ok.generate("hi", GenOpts.defaults()));
                        StringBuilder tokens = new StringBuilder();
                        try (TokenStream s = ok.streamGenerate("hi", GenOpts.defaults())) {
                            while (s.hasNext()) tokens.append(tokens.length() == 0 ? "" : "|").append(s.next().text());
                        }
                        System.out.println("stream: " + tokens);
                        System.out.println("models: " + ok.models());
                        List<float[]> vectors = ok.embed(List.of("a", "b"));
                        System.out.println("embed: " + vectors.size() + " vectors, " + Arrays.toString(vectors.get(0)));
                        HttpBackend bad = HttpBackend.builder(base + "/bad", "m").timeout(Duration.ofSeconds(30)).build();
                        try {
                            bad.generate("hi", GenOpts.defaults());
                            System.out.println("no error");
                        } catch (RuntimeException e) {
                            System.out.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                        HttpBackend stall = HttpBackend.builder(base + "/stall", "m")
                                .idleTimeout(Duration.ofMillis(300))
                                .build();
                        try (TokenStream s = stall.streamGenerate("hi", GenOpts.defaults())) {
                            StringBuilder got = new StringBuilder();
                            try {
                                while (s.hasNext()) got.append(s.next().text());
                                System.out.println("stall: no timeout");
                            } catch (RuntimeException e) {
                                System.out.println("stall: " + e.getClass().getSimpleName() + " after " + got);
                            }
                        }
                    } finally {
                        server.stop(0);
                    }
                }
            }
            """;
}
