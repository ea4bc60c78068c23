package ai.lthn.ml.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.StreamFailedException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AbstractTokenStreamTest {

    /** Produces the given texts, then fails with {@code failure} if set. */
    private static final class Scripted extends AbstractTokenStream {
        private final List<String> texts;
        private final Exception failure;
        final AtomicInteger releases = new AtomicInteger();
        private int i;

        Scripted(Exception failure, String... texts) {
            this.texts = List.of(texts);
            this.failure = failure;
        }

        @Override
        protected Token produce() throws Exception {
            if (i < texts.size()) return Token.of(texts.get(i++));
            if (failure != null) throw failure;
            return null;
        }

        @Override
        protected void release() {
            releases.incrementAndGet();
        }
    }

    @Test
    void yieldsTokensThenEndsWithStop() {
        var s = new Scripted(null, "a", "b");
        assertThat(s.remainingText()).isEqualTo("ab");
        assertThat(s.hasNext()).isFalse();
        assertThat(s.finishReason()).isEqualTo(FinishReason.STOP);
        assertThatThrownBy(s::next).isInstanceOf(NoSuchElementException.class);
        assertThat(s.releases).hasValue(1);
        s.close();
        s.close();
        assertThat(s.releases).hasValue(1);
    }

    @Test
    void failureComesAfterTheTokensWithPartialTextAndRepeats() {
        var s = new Scripted(new IllegalStateException("engine died"), "x", "y");
        assertThat(s.next().text()).isEqualTo("x");
        assertThat(s.next().text()).isEqualTo("y");
        assertThatThrownBy(s::hasNext)
                .isInstanceOfSatisfying(
                        StreamFailedException.class,
                        e -> assertThat(e.partialText()).isEqualTo("xy"))
                .hasMessage("engine died");
        assertThatThrownBy(s::hasNext).isInstanceOf(StreamFailedException.class);
        assertThat(s.releases).hasValue(1);
    }

    @Test
    void mlExceptionBeforeAnyTokenKeepsItsType() {
        var failure = new HttpStatusException("unexpected status 400", 400, "bad");
        var s = new Scripted(failure);
        assertThatThrownBy(s::hasNext).isSameAs(failure);
    }

    @Test
    void ioExceptionBeforeAnyTokenBecomesMlIoException() {
        var s = new Scripted(new IOException("connection reset"));
        assertThatThrownBy(s::hasNext).isInstanceOf(MlIOException.class).hasMessage("connection reset");
    }

    @Test
    void closeFromAnotherThreadCancelsABlockedProducer() throws Exception {
        CountDownLatch inProduce = new CountDownLatch(1);
        var s = new AbstractTokenStream() {
            private boolean first = true;

            @Override
            protected Token produce() throws InterruptedException {
                if (first) {
                    first = false;
                    return Token.of("first");
                }
                inProduce.countDown();
                sleepUnlessClosed(Duration.ofMinutes(5));
                return Token.of("never");
            }
        };
        CompletableFuture<String> consumer = CompletableFuture.supplyAsync(s::remainingText);
        assertThat(inProduce.await(10, TimeUnit.SECONDS)).isTrue();
        s.close();
        assertThatThrownBy(() -> consumer.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        GenerationCancelledException.class,
                        e -> assertThat(e.partialText()).isEqualTo("first"));
    }

    @Test
    void hasNextAfterCloseBeforeTheEndIsACancellation() {
        var s = new Scripted(null, "a", "b");
        s.next();
        s.close();
        assertThatThrownBy(s::hasNext).isInstanceOf(GenerationCancelledException.class);
    }

    @Test
    void interruptBecomesCancellationWithTheFlagRestored() throws Exception {
        var s = new AbstractTokenStream() {
            @Override
            protected Token produce() throws InterruptedException {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                return null;
            }
        };
        CompletableFuture<Boolean> flag = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                s.hasNext();
            } catch (GenerationCancelledException e) {
                flag.complete(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        Thread.sleep(50);
        t.interrupt();
        assertThat(flag.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void streamViewClosesTheTokenStream() {
        var s = new Scripted(null, "a", "b", "c");
        try (var stream = s.stream()) {
            assertThat(stream.limit(1).map(Token::text).toList()).containsExactly("a");
        }
        assertThat(s.releases).hasValue(1);
        assertThatThrownBy(s::hasNext).isInstanceOf(MlException.class);
    }

    @Test
    void fixedStreamOfTokens() {
        TokenStream s = TokenStream.of(List.of(Token.of("x"), new Token(7, "y")));
        assertThat(s.stream().map(Token::id).toList()).containsExactly(0, 7);
        assertThat(s.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void aStreamReadsInAForEachLoopOnce() {
        StringBuilder text = new StringBuilder();
        try (var s = new Scripted(null, "a", "b", "c")) {
            Iterable<Token> tokens = s.tokens();
            for (Token t : tokens) text.append(t.text());
            assertThatThrownBy(tokens::iterator).isInstanceOf(IllegalStateException.class);
        }
        assertThat(text).hasToString("abc");
    }

    @Test
    void aStreamDroppedWithoutCloseIsReported() throws Exception {
        long before = AbstractTokenStream.leaksReported();
        leakOne();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (AbstractTokenStream.leaksReported() == before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(AbstractTokenStream.leaksReported()).isGreaterThan(before);
    }

    private static void leakOne() {
        var s = new Scripted(null, "a", "b");
        s.next(); // read one token, then drop it: neither closed nor read to the end
    }
}
