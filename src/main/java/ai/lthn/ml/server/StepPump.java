package ai.lthn.ml.server;

import ai.lthn.ml.MlException;
import ai.lthn.ml.backend.ChatDelta;
import ai.lthn.ml.backend.ChatResult;
import ai.lthn.ml.backend.ChatStream;
import ai.lthn.ml.backend.ToolCallDelta;
import java.util.concurrent.Executor;

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
    private final Handoff<Item> handoff = new Handoff<>();

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

    /** Hands an item to the writer ({@link Handoff#put}); once the writer has abandoned, closes the stream. */
    private boolean put(Item item) {
        if (handoff.put(item)) return true;
        steps.close();
        return false;
    }

    /** The next item if one is ready, else null. */
    Item poll() {
        return handoff.poll();
    }

    /** The next item, waiting up to {@code nanos}; null if none came. */
    Item take(long nanos) throws InterruptedException {
        return handoff.take(nanos);
    }

    /** The writer is gone: the pulling thread stops at its next step and closes the stream. */
    void abandon() {
        handoff.abandon();
        steps.close();
    }
}
