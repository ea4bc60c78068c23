package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Utf8CharsTest {
    @Test
    void validUtf8ReadsAsTheStringItEncodes() {
        Utf8Chars chars = new Utf8Chars();
        for (String s :
                new String[] {"", "Okay, so", "ſure thing", "\u212Aelvin", "naïve café", "模型 😀 end", "a\u0000b"}) {
            byte[] b = ("<<" + s + ">>").getBytes(StandardCharsets.UTF_8);
            assertThat(chars.set(b, 2, b.length - 2).toString()).isEqualTo(s);
            assertThat(chars.length()).isEqualTo(s.length());
        }
    }

    @Test
    void randomValidTextDecodesAsTheJdkDecodesItAndTheBufferIsReused() {
        SplittableRandom rnd = new SplittableRandom(5);
        Utf8Chars chars = new Utf8Chars();
        for (int n = 0; n < 2_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(300);
            for (int i = 0; i < len; i++) {
                int cp;
                do {
                    cp = switch (rnd.nextInt(4)) {
                        case 0 -> rnd.nextInt(0x80);
                        case 1 -> 0x80 + rnd.nextInt(0x780);
                        case 2 -> 0x800 + rnd.nextInt(0xF800);
                        default -> 0x10000 + rnd.nextInt(0x100000);
                    };
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertThat(chars.set(b, 0, b.length).toString()).isEqualTo(s);
        }
    }

    @Test
    void eachByteOfAnInvalidSequenceIsOneReplacementCharacterAsInGo() {
        byte[] b = {'a', (byte) 0xE2, (byte) 0x82, 'b', (byte) 0xC0, (byte) 0xAF, (byte) 0xED, (byte) 0xA0, (byte) 0x80
        };
        String go = GoUtf8.decode(b, 0, b.length);
        assertThat(new Utf8Chars().set(b, 0, b.length).toString())
                .isEqualTo(go)
                .isEqualTo("a\uFFFD\uFFFDb\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void aMatcherReadsItAsItReadsTheString() {
        byte[] b = "  Once upon a time".getBytes(StandardCharsets.UTF_8);
        Utf8Chars chars = new Utf8Chars().set(b, 2, b.length);
        assertThat(Pattern.compile("^(The |A |Once )").matcher(chars).lookingAt())
                .isTrue();
        assertThat(chars.subSequence(5, 9).toString()).isEqualTo("upon");
        assertThatThrownBy(() -> chars.charAt(chars.length())).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
