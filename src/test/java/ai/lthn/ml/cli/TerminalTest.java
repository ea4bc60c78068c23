package ai.lthn.ml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void printfThroughTheCommandLinesWritersIgnoresTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            StringWriter text = new StringWriter();
            PrintWriter out = Terminal.rootLocale(new PrintWriter(text, true));
            out.printf("%.2f %d%n", 1234.5, 1234567);
            out.format("%.1f", 0.5);
            out.flush();
            assertThat(text).hasToString("1234.50 1234567" + System.lineSeparator() + "0.5");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aFailedWriteBelowIsReported() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] b, int off, int len) throws IOException {
                throw new IOException("closed pipe");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        PrintWriter out = Terminal.rootLocale(new PrintWriter(broken, true));
        out.println("x");
        assertThat(out.checkError()).isTrue();
    }

    @Test
    void columnsArePaddedAsPrintfPadsThem() {
        assertThat(Terminal.left("ab", 5)).isEqualTo(String.format("%-5s", "ab"));
        assertThat(Terminal.right("ab", 5)).isEqualTo(String.format("%5s", "ab"));
        assertThat(Terminal.left("abcdef", 3)).isEqualTo("abcdef");
        assertThat(Terminal.right("abcdef", 3)).isEqualTo("abcdef");
    }

    @Test
    void controlCharactersAreShownNotSent() {
        assertThat(Terminal.safe("a\u001b[2Jb")).isEqualTo("a\\u001b[2Jb");
    }
}
