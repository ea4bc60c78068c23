package ai.lthn.ml.score;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lthn.ml.CallEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
    private static CallEvent ok() {
        return new CallEvent(200, null, -1, null, 10, 2);
    }

    private static CallEvent tooMany(Duration retryAfter) {
        return new CallEvent(429, retryAfter, -1, null, -1, -1);
    }

    @Test
    void halvesOnA429AndGrowsBackAdditivelyNeverAboveTheMaximum() {
        AdaptiveLimit l = new AdaptiveLimit(16);
        l.onCall(tooMany(null));
        assertThat(l.limit()).isEqualTo(8);
        l.onCall(tooMany(null));
        l.onCall(tooMany(null));
        l.onCall(tooMany(null));
        l.onCall(tooMany(null));
        l.onCall(tooMany(null));
        assertThat(l.limit()).isEqualTo(1); // never below one
        for (int i = 0; i < 10; i++) l.onCall(ok());
        assertThat(l.limit()).isBetween(2, 6); // +1 per `limit` successes: slow
        for (int i = 0; i < 10_000; i++) l.onCall(ok());
        assertThat(l.limit()).isEqualTo(16);
        assertThat(l.lowest()).isEqualTo(1);
    }

    @Test
    void noRequestsLeftInTheWindowCountsAsRateLimited() {
        AdaptiveLimit l = new AdaptiveLimit(4);
        l.onCall(new CallEvent(200, null, 0, Duration.ofMillis(1), 1, 1));
        assertThat(l.limit()).isEqualTo(2);
    }

    @Test
    void callsBeyondTheLimitWaitAndRetryAfterHoldsNewCallsBack() throws Exception {
        AdaptiveLimit l = new AdaptiveLimit(1);
        l.acquire();
        CountDownLatch second = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                l.acquire();
                second.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        assertThat(second.await(200, TimeUnit.MILLISECONDS)).isFalse(); // the one place is taken
        l.onCall(tooMany(Duration.ofSeconds(30)));
        l.release();
        assertThat(second.await(200, TimeUnit.MILLISECONDS)).isFalse(); // free, but the server said wait 30 s
        t.interrupt();
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
    }
}
