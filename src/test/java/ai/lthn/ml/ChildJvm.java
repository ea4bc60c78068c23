package ai.lthn.ml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM running a test-class-path main: the way tests start {@code ml}
 * and other helper programs as separate processes, as users run them.
 */
public final class ChildJvm {
    /** The {@code java} launcher of the JVM running the tests. */
    public static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private ChildJvm() {}

    /** {@code java -cp <test class path> main args...}, as a list the caller may extend. */
    public static List<String> command(Class<?> main, String... args) {
        return command(List.of(), main, args);
    }

    /** {@code java jvmOptions... -cp <test class path> main args...}, as a list the caller may extend. */
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }
}
