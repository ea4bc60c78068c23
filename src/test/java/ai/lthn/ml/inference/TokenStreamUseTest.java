package ai.lthn.ml.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How a user meets a stream: for-each over it, and a warning when one is dropped unclosed. */
class TokenStreamUseTest {

    @Test
    void aStreamIsUsableInForEachOnce() {
        try (TokenStream tokens = TokenStream.of(List.of(Token.of("a"), Token.of("b")))) {
            Iterable<Token> view = tokens.tokens();
            List<String> seen = new ArrayList<>();
            for (Token t : view) seen.add(t.text());
            assertThat(seen).containsExactly("a", "b");
            assertThat(tokens.finishReason()).isEqualTo(FinishReason.STOP);
            assertThatThrownBy(view::iterator)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only once");
        }
    }

    @Test
    void anUnclosedStreamIsReportedOnceWhenCollected() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        Consumer<String> before = Leaks.sink;
        Leaks.sink = reports::add;
        Leaks.rearm();
        try {
            long leaked = Leaks.count();
            leakTwo();
            // Collection is up to the GC: ask for it until both are reported (generous bound).
            for (int i = 0; i < 200 && Leaks.count() < leaked + 2; i++) {
                System.gc();
                Thread.sleep(50);
            }
            assertThat(Leaks.count()).isGreaterThanOrEqualTo(leaked + 2);
            assertThat(reports).hasSize(1); // logged once, counted always
            assertThat(reports.get(0))
                    .contains("garbage-collected without being closed")
                    .contains("try-with-resources");
        } finally {
            Leaks.sink = before;
        }
    }

    @Test
    void aClosedOrFinishedStreamIsNoLongerWatched() {
        AbstractTokenStream open = (AbstractTokenStream) TokenStream.of(List.of(Token.of("a")));
        AbstractTokenStream closed = (AbstractTokenStream) TokenStream.of(List.of(Token.of("a")));
        AbstractTokenStream finished = (AbstractTokenStream) TokenStream.of(List.of(Token.of("a")));
        closed.close();
        assertThat(finished.remainingText()).isEqualTo("a");
        assertThat(open.leakWatched()).isTrue();
        assertThat(closed.leakWatched()).isFalse();
        assertThat(finished.leakWatched()).isFalse();
        open.close();
        assertThat(open.leakWatched()).isFalse();
    }

    private static void leakTwo() {
        TokenStream a = TokenStream.of(List.of(Token.of("x"), Token.of("y")));
        a.next(); // started, never closed nor ended
        TokenStream.of(List.of(Token.of("z")));
    }
}
