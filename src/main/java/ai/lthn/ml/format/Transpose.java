package ai.lthn.ml.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Row-major matrix transposes: a (rows, cols) matrix of {@code elementSize}-byte elements becomes
 * (cols, rows). Done in square tiles so both the reads and the writes stay in cache; 2- and
 * 4-byte elements move as small blocks transposed inside 64-bit words (see FINDINGS.md).
 */
final class Transpose {
    /** Elements per tile side: measured best of 16…4096 for F16 4096×4096 (FINDINGS.md). */
    private static final int TILE = 256;

    private Transpose() {}

    /**
     * Transposes {@code src} into a new array.
     *
     * @param src the (rows, cols) matrix, row-major
     * @param rows the source matrix's row count; zero or positive
     * @param cols the source matrix's column count; zero or positive
     * @param elementSize bytes per element, positive (2 and 4 take the fast paths)
     * @return a new array holding the (cols, rows) matrix, row-major
     * @throws IllegalArgumentException when {@code src} does not hold exactly rows × cols elements
     */
    static byte[] transpose(byte[] src, int rows, int cols, int elementSize) {
        if (rows < 0 || cols < 0 || elementSize <= 0 || (long) rows * cols * elementSize != src.length) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix of " + elementSize
                    + "-byte elements is not " + src.length + " bytes");
        }
        byte[] dst = new byte[src.length];
        transposeInto(src, dst, rows, cols, elementSize);
        return dst;
    }

    /**
     * Transposes {@code src} into {@code dst} (same length, not the same array).
     *
     * @param src the (rows, cols) matrix, row-major
     * @param dst receives the (cols, rows) matrix, row-major; every byte is overwritten
     * @param rows the source matrix's row count; zero or positive
     * @param cols the source matrix's column count; zero or positive
     * @param elementSize bytes per element, positive (2 and 4 take the fast paths)
     * @throws IllegalArgumentException when the arrays do not hold exactly rows × cols elements
     */
    static void transposeInto(byte[] src, byte[] dst, int rows, int cols, int elementSize) {
        if (rows < 0
                || cols < 0
                || elementSize <= 0
                || (long) rows * cols * elementSize != src.length
                || dst.length != src.length
                || dst == src) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix of " + elementSize
                    + "-byte elements is not " + src.length + " bytes, or the target differs");
        }
        switch (elementSize) {
            case 2 -> tiled2(src, dst, rows, cols);
            case 4 -> tiled4(src, dst, rows, cols);
            default -> tiledN(src, dst, rows, cols, elementSize);
        }
    }

    /**
     * Transposes the remaining bytes of {@code src} (not consumed).
     *
     * @param src the (rows, cols) matrix, row-major, from position to limit; its position is
     *     unchanged
     * @param rows the source matrix's row count; zero or positive
     * @param cols the source matrix's column count; zero or positive
     * @param elementSize bytes per element, positive (2 and 4 take the fast paths)
     * @return a new array holding the (cols, rows) matrix, row-major
     * @throws IllegalArgumentException when {@code src} does not hold exactly rows × cols elements
     */
    static byte[] transpose(ByteBuffer src, int rows, int cols, int elementSize) {
        byte[] bytes = new byte[src.remaining()];
        src.duplicate().get(bytes);
        return transpose(bytes, rows, cols, elementSize);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LO16 = 0x0000FFFF0000FFFFL;
    private static final long LO32 = 0x00000000FFFFFFFFL;

    /**
     * 2-byte elements: each 4×4 block is read as four longs (one per source row), transposed in
     * registers with shifts and masks, and written as four longs; ragged edges go element by element.
     */
    private static void tiled2(byte[] s, byte[] d, int rows, int cols) {
        int rows4 = rows & ~3;
        int cols4 = cols & ~3;
        for (int r0 = 0; r0 < rows4; r0 += TILE) {
            int r1 = Math.min(rows4, r0 + TILE);
            for (int c0 = 0; c0 < cols4; c0 += TILE) {
                int c1 = Math.min(cols4, c0 + TILE);
                for (int c = c0; c < c1; c += 4) {
                    for (int r = r0; r < r1; r += 4) {
                        int si = (r * cols + c) << 1;
                        int srow = cols << 1;
                        long a = (long) LONGS.get(s, si);
                        long b = (long) LONGS.get(s, si + srow);
                        long e = (long) LONGS.get(s, si + 2 * srow);
                        long f = (long) LONGS.get(s, si + 3 * srow);
                        long t0 = (a & LO16) | ((b & LO16) << 16); // a0 b0 a2 b2
                        long t1 = ((a >>> 16) & LO16) | (b & ~LO16); // a1 b1 a3 b3
                        long t2 = (e & LO16) | ((f & LO16) << 16); // e0 f0 e2 f2
                        long t3 = ((e >>> 16) & LO16) | (f & ~LO16); // e1 f1 e3 f3
                        int di = (c * rows + r) << 1;
                        int drow = rows << 1;
                        LONGS.set(d, di, (t0 & LO32) | (t2 << 32));
                        LONGS.set(d, di + drow, (t1 & LO32) | (t3 << 32));
                        LONGS.set(d, di + 2 * drow, (t0 >>> 32) | (t2 & ~LO32));
                        LONGS.set(d, di + 3 * drow, (t1 >>> 32) | (t3 & ~LO32));
                    }
                }
            }
        }
        edges(s, d, rows, cols, rows4, cols4, 2);
    }

    /** 4-byte elements: 2×2 blocks through longs. */
    private static void tiled4(byte[] s, byte[] d, int rows, int cols) {
        int rows2 = rows & ~1;
        int cols2 = cols & ~1;
        for (int r0 = 0; r0 < rows2; r0 += TILE) {
            int r1 = Math.min(rows2, r0 + TILE);
            for (int c0 = 0; c0 < cols2; c0 += TILE) {
                int c1 = Math.min(cols2, c0 + TILE);
                for (int c = c0; c < c1; c += 2) {
                    for (int r = r0; r < r1; r += 2) {
                        int si = (r * cols + c) << 2;
                        long a = (long) LONGS.get(s, si);
                        long b = (long) LONGS.get(s, si + (cols << 2));
                        int di = (c * rows + r) << 2;
                        LONGS.set(d, di, (a & LO32) | (b << 32));
                        LONGS.set(d, di + (rows << 2), (a >>> 32) | (b & ~LO32));
                    }
                }
            }
        }
        edges(s, d, rows, cols, rows2, cols2, 4);
    }

    /** The last rows and columns the block loops left out. */
    private static void edges(byte[] s, byte[] d, int rows, int cols, int rowsDone, int colsDone, int es) {
        for (int r = 0; r < rows; r++) {
            for (int c = r < rowsDone ? colsDone : 0; c < cols; c++) {
                System.arraycopy(s, (r * cols + c) * es, d, (c * rows + r) * es, es);
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
