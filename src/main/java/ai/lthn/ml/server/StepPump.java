package ai.lthn.ml.server;

import ai.lthn.ml.MlException;
import ai.lthn.ml.backend.ChatDelta;
import ai.lthn.ml.backend.ChatResult;
import ai.lthn.ml.backend.ChatStream;
import ai.lthn.ml.backend.ToolCallDelta;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@link TokenPump}'s counterpart for a pass-through stream: pulls a {@link ChatStream} on its own
 * thread into a bounded queue, so the writer can send keep-alives while the upstream is silent and
 * honour the request deadline in every wait. Once the text and tool arguments pass {@code
 * maxChars} (an upstream that ignores {@code max_tokens}) it closes the stream and ends as capped.
 * Anything thrown while pulling ends the queue with a {@link Item.Failed}, so the writer always
 * gets an end.
 */
final class StepPump {
    /** What the writer takes from the queue. */
    sealed interface Item permits Item.Step, Item.End, Item.Failed {
        /** One step of one choice. */
        record Step(ChatDelta delta) implements Item {}

        /** The end: the assembled result, or {@code capped} when the size limit stopped the stream. */
        record End(ChatResult result, boolean capped) implements Item {}

        /** The failure that ended the stream. */
        record Failed(MlException error) implements Item {}
    }

    private final ChatStream steps;
    private final long maxChars;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(4096);
    private volatile boolean abandoned;

    StepPump(ChatStream steps, long maxChars) {
        this.steps = steps;
        this.maxChars = maxChars;
    }

    void start(Executor executor) {
        executor.execute(this::pump);
    }

    private void pump() {
        long chars = 0;
        try {
            while (steps.hasNext()) {
                ChatDelta d = steps.next();
                chars += d.content().length();
                for (ToolCallDelta t : d.toolCalls()) chars += t.arguments().length();
                if (!put(new Item.Step(d))) return;
                if (chars >= maxChars) {
                    steps.close(); // the upstream went past the response cap: stop it
                    put(new Item.End(null, true));
                    return;
                }
            }
            put(new Item.End(steps.result(), false));
        } catch (MlException e) {
            put(new Item.Failed(e));
        } catch (Throwable e) { // an Error too: the writer must get an end
            steps.close();
            put(new Item.Failed(new MlException("pass-through failed: " + e, e)));
            if (e instanceof VirtualMachineError fatal) throw fatal;
        }
    }

    /** Hands an item to the writer, waiting while the queue is full, until the writer abandons. */
    private boolean put(Item item) {
        boolean interrupted = Thread.interrupted();
        try {
            while (!abandoned) {
                try {
                    if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            steps.close();
            return false;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The next item if one is ready, else null. */
    Item poll() {
        return queue.poll();
    }

    /** The next item, waiting up to {@code nanos}; null if none came. */
    Item take(long nanos) throws InterruptedException {
        return queue.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** The writer is gone: the pulling thread stops at its next step and closes the stream. */
    void abandon() {
        abandoned = true;
        steps.close();
    }
}
