package ai.lthn.ml.transport;

import java.util.List;

/**
 * POSIX shell quoting: an SSH server runs a command line through the remote user's shell, so
 * each argument is sent single-quoted ({@code '} written as {@code '\''}) and reaches the program
 * literally, whatever it contains.
 */
final class ShellQuote {
    private ShellQuote() {}

    /** One argument, quoted. */
    static String quote(String arg) {
        if (arg.indexOf('\0') >= 0) throw new IllegalArgumentException("argument contains a NUL byte");
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** A command line of quoted arguments. */
    static String join(List<String> argv) {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(quote(a));
        }
        return sb.toString();
    }
}
