package ai.lthn.ml.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A second process appending to an outbox: arguments are the outbox directory, a count, a
 * prefix and a payload size; entry {@code i} is the prefix, {@code i}, a space and padding.
 * Exits 0 only when every append succeeded.
 */
public final class OutboxAppendMain {
    private OutboxAppendMain() {}

    public static void main(String[] args) {
        Outbox box = Outbox.open(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        byte[] pad = new byte[Integer.parseInt(args[3])];
        Arrays.fill(pad, (byte) 'x');
        for (int i = 0; i < count; i++) {
            byte[] head = (args[2] + i + " ").getBytes(StandardCharsets.UTF_8);
            byte[] payload = Arrays.copyOf(head, head.length + pad.length);
            System.arraycopy(pad, 0, payload, head.length, pad.length);
            box.append(payload);
        }
    }
}
