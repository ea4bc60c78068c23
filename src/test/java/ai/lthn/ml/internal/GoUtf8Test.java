package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GoUtf8Test {
    @Test
    void indexOfFindsTheFirstByteAtEveryOffsetAndAlignment() {
        Random rnd = new Random(8);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[rnd.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // mostly bytes next to the one sought, so borrows between lanes happen
                b[i] = (byte)
                        (rnd.nextInt(4) == 0
                                ? rnd.nextInt(256)
                                : '\n' + 1 - rnd.nextInt(3) + (rnd.nextInt(5) == 0 ? 0x80 : 0));
            }
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length);
            int to = from + rnd.nextInt(b.length - from + 1);
            int want = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    want = i;
                    break;
                }
            }
            assertThat(GoUtf8.indexOf(b, from, to, (byte) '\n')).isEqualTo(want);
        }
    }

    @Test
    void trimsGoWhiteSpaceOnBothSides() {
        byte[] b = "\u3000\t x\u00A0y \u2028\u0085".getBytes(StandardCharsets.UTF_8);
        int s = GoUtf8.trimStart(b, 0, b.length);
        int e = GoUtf8.trimEnd(b, s, b.length);
        assertThat(new String(b, s, e - s, StandardCharsets.UTF_8)).isEqualTo("x\u00A0y");
        byte[] zwsp = "\u200Bx\u200B".getBytes(StandardCharsets.UTF_8); // not white space in Go
        assertThat(GoUtf8.trimStart(zwsp, 0, zwsp.length)).isZero();
        assertThat(GoUtf8.trimEnd(zwsp, 0, zwsp.length)).isEqualTo(zwsp.length);
    }
}
