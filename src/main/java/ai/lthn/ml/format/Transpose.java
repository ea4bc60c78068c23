package ai.lthn.ml.format;

import java.nio.ByteBuffer;

/**
 * Row-major matrix transposes: a (rows, cols) matrix of {@code elementSize}-byte elements becomes
 * (cols, rows). Done in square tiles so both the reads and the writes stay in cache, copying
 * whole elements through byte arrays rather than one byte at a time through a buffer.
 */
public final class Transpose {
    private static final int TILE = 64;

    private Transpose() {}

    /**
     * Transposes {@code src} into a new array.
     *
     * @throws IllegalArgumentException when {@code src} does not hold exactly rows × cols elements
     */
    public static byte[] transpose(byte[] src, int rows, int cols, int elementSize) {
        if (rows < 0 || cols < 0 || elementSize <= 0 || (long) rows * cols * elementSize != src.length) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix of " + elementSize
                    + "-byte elements is not " + src.length + " bytes");
        }
        byte[] dst = new byte[src.length];
        switch (elementSize) {
            case 2 -> tiled2(src, dst, rows, cols);
            case 4 -> tiled4(src, dst, rows, cols);
            default -> tiledN(src, dst, rows, cols, elementSize);
        }
        return dst;
    }

    /** Transposes the remaining bytes of {@code src} (not consumed). */
    public static byte[] transpose(ByteBuffer src, int rows, int cols, int elementSize) {
        byte[] bytes = new byte[src.remaining()];
        src.duplicate().get(bytes);
        return transpose(bytes, rows, cols, elementSize);
    }

    private static void tiled2(byte[] s, byte[] d, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int si = (r * cols + c0) << 1;
                    int di = (c0 * rows + r) << 1;
                    int step = rows << 1;
                    for (int c = c0; c < c1; c++, si += 2, di += step) {
                        d[di] = s[si];
                        d[di + 1] = s[si + 1];
                    }
                }
            }
        }
    }

    private static void tiled4(byte[] s, byte[] d, int rows, int cols) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int si = (r * cols + c0) << 2;
                    int di = (c0 * rows + r) << 2;
                    int step = rows << 2;
                    for (int c = c0; c < c1; c++, si += 4, di += step) {
                        d[di] = s[si];
                        d[di + 1] = s[si + 1];
                        d[di + 2] = s[si + 2];
                        d[di + 3] = s[si + 3];
                    }
                }
            }
        }
    }

    private static void tiledN(byte[] s, byte[] d, int rows, int cols, int es) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        System.arraycopy(s, (r * cols + c) * es, d, (c * rows + r) * es, es);
                    }
                }
            }
        }
    }
}
