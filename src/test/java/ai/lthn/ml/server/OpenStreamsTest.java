package ai.lthn.ml.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.inference.AbstractTokenStream;
import ai.lthn.ml.inference.Token;
import org.junit.jupiter.api.Test;

class OpenStreamsTest {
    /** A stream that counts its releases. */
    private static final class Counted extends AbstractTokenStream {
        int released;

        @Override
        protected Token produce() {
            return Token.of("t");
        }

        @Override
        protected void release() {
            released++;
        }
    }

    @Test
    void cancellingClosesWhatIsOpenAndRefusesWhatRegistersLater() {
        OpenStreams open = new OpenStreams();
        Counted running = new Counted();
        Counted finished = new Counted();
        assertThat(open.add(running)).isTrue();
        assertThat(open.add(finished)).isTrue();
        assertThat(open.remove(finished)).isTrue();
        open.cancelAll();
        assertThat(running.released).as("closed by the cancel").isEqualTo(1);
        assertThat(finished.released).as("it had left").isZero();
        Counted late = new Counted();
        assertThat(open.add(late))
                .as("a call still starting when the server cancelled")
                .isFalse();
        assertThat(open.remove(late)).isFalse();
    }
}
