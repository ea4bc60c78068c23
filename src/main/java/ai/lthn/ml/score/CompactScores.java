package ai.lthn.ml.score;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * One model's scores from a run without judge suites, held as columns rather than objects: the id
 * as Latin-1 bytes (other ids as strings), the eight heuristic counts and the LEK score as
 * numbers, exact-match scores only where there are some. About 60 bytes a response instead of
 * about 200, so a file of a million responses is scored in a small heap. Reads as a list of
 * {@link PromptScore}, each made again on {@link #get} and equal to the one that was added.
 * Appended by one thread, read after.
 */
final class CompactScores extends AbstractList<PromptScore> implements RandomAccess {
    private static final int CHUNK = 4096;

    private final String model;
    private final List<Chunk> chunks = new ArrayList<>();
    private final Map<Integer, String> wideIds = new HashMap<>();
    private final Map<Integer, StandardScores> standard = new HashMap<>();
    private int size;

    /** {@code CHUNK} responses. */
    private static final class Chunk {
        byte[] ids = new byte[CHUNK * 16];
        final int[] idEnd = new int[CHUNK];
        final int[] counts = new int[CHUNK * 8];
        final double[] lek = new double[CHUNK];
        final boolean[] heuristic = new boolean[CHUNK];
        int idBytes;
    }

    CompactScores(String model) {
        this.model = model;
    }

    void append(PromptScore p) {
        if (p.semantic() != null || p.content() != null) {
            throw new IllegalArgumentException("judge scores are not held compactly");
        }
        if (size % CHUNK == 0) chunks.add(new Chunk());
        Chunk c = chunks.get(chunks.size() - 1);
        int i = size % CHUNK;
        String id = p.id();
        if (isLatin1(id)) {
            if (c.idBytes + id.length() > c.ids.length)
                c.ids = Arrays.copyOf(c.ids, Math.max(c.ids.length * 2, c.idBytes + id.length()));
            for (int k = 0; k < id.length(); k++) c.ids[c.idBytes + k] = (byte) id.charAt(k);
            c.idBytes += id.length();
        } else {
            wideIds.put(size, id);
        }
        c.idEnd[i] = c.idBytes;
        HeuristicScores h = p.heuristic();
        if (h != null) {
            c.heuristic[i] = true;
            int o = i * 8;
            c.counts[o] = h.complianceMarkers();
            c.counts[o + 1] = h.formulaicPreamble();
            c.counts[o + 2] = h.firstPerson();
            c.counts[o + 3] = h.creativeForm();
            c.counts[o + 4] = h.engagementDepth();
            c.counts[o + 5] = h.emotionalRegister();
            c.counts[o + 6] = h.degeneration();
            c.counts[o + 7] = h.emptyBroken();
            c.lek[i] = h.lekScore();
        }
        if (p.standard() != null) standard.put(size, p.standard());
        size++;
    }

    private static boolean isLatin1(String s) {
        for (int k = 0; k < s.length(); k++) if (s.charAt(k) > 0xFF) return false;
        return true;
    }

    @Override
    public PromptScore get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index + " of " + size);
        Chunk c = chunks.get(index / CHUNK);
        int i = index % CHUNK;
        String id = wideIds.get(index);
        if (id == null) {
            int from = i == 0 ? 0 : c.idEnd[i - 1];
            id = new String(c.ids, from, c.idEnd[i] - from, StandardCharsets.ISO_8859_1);
        }
        HeuristicScores h = null;
        if (c.heuristic[i]) {
            int o = i * 8;
            int[] n = c.counts;
            h = new HeuristicScores(
                    n[o], n[o + 1], n[o + 2], n[o + 3], n[o + 4], n[o + 5], n[o + 6], n[o + 7], c.lek[i]);
        }
        return new PromptScore(id, model, h, null, null, standard.get(index));
    }

    @Override
    public int size() {
        return size;
    }
}
