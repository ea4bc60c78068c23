package ai.lthn.ml.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransposeTest {
    /** go-ml's definition, element by element: dst[c*rows + r] = src[r*cols + c]. */
    private static byte[] reference(byte[] src, int rows, int cols, int es) {
        byte[] dst = new byte[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                for (int k = 0; k < es; k++) dst[(c * rows + r) * es + k] = src[(r * cols + c) * es + k];
            }
        }
        return dst;
    }

    @Test
    void matchesTheElementwiseDefinitionForEveryShapeAroundTheBlockSizes() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[] sizes = {0, 1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 129, 130};
        for (int es : new int[] {1, 2, 4, 8}) {
            for (int rows : sizes) {
                for (int cols : sizes) {
                    byte[] src = new byte[rows * cols * es];
                    rnd.nextBytes(src);
                    assertThat(Transpose.transpose(src, rows, cols, es))
                            .as(rows + "x" + cols + "x" + es)
                            .isEqualTo(reference(src, rows, cols, es));
                }
            }
        }
    }

    @Test
    void refusesAShapeThatDisagreesWithTheBytes() {
        assertThatThrownBy(() -> Transpose.transpose(new byte[10], 2, 3, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Transpose.transposeInto(new byte[12], new byte[10], 2, 3, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
