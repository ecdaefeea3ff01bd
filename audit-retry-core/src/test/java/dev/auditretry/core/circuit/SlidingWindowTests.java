package dev.auditretry.core.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlidingWindowTests {

    private static final long WINDOW_MILLIS = 10_000;

    private static final long BUCKET_MILLIS = WINDOW_MILLIS / SlidingWindow.BUCKETS_PER_WINDOW;

    @Test
    void runningTotalsMatchARecountOfEveryOutcome() {
        SlidingWindow window = new SlidingWindow(Duration.ofMillis(WINDOW_MILLIS));
        List<long[]> outcomes = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        long nowMillis = 1_000_000;

        for (int step = 0; step < 50_000; step++) {
            nowMillis += (random.nextInt(100) == 0) ? random.nextLong(30_000) : random.nextLong(40);
            boolean failure = random.nextInt(3) == 0;
            if (failure) {
                window.recordFailure(nowMillis);
            }
            else {
                window.recordSuccess(nowMillis);
            }
            outcomes.add(new long[] { nowMillis, failure ? 1 : 0 });

            if (step % 97 == 0) {
                long readAt = nowMillis + random.nextLong(12_000);
                SlidingWindow.Counts counts = window.counts(readAt);
                assertThat(counts).isEqualTo(recount(outcomes, readAt));
                nowMillis = readAt;
            }
        }
    }

    @Test
    void outcomeAgesOutWithinOneBucket() {
        SlidingWindow window = new SlidingWindow(Duration.ofMillis(WINDOW_MILLIS));
        window.recordFailure(50);

        assertThat(window.counts(WINDOW_MILLIS + BUCKET_MILLIS - 1).failures()).isEqualTo(1);
        assertThat(window.counts(WINDOW_MILLIS + BUCKET_MILLIS).failures()).isZero();
    }

    @Test
    void clockMovingBackKeepsNewerOutcomes() {
        SlidingWindow window = new SlidingWindow(Duration.ofMillis(WINDOW_MILLIS));
        window.recordFailure(20_000);

        window.recordSuccess(19_000);
        window.recordSuccess(1_000);

        SlidingWindow.Counts counts = window.counts(20_000);
        assertThat(counts.failures()).isEqualTo(1);
        assertThat(counts.successes()).isEqualTo(1);
    }

    // An outcome counts while its bucket is one of the slotCount newest buckets ending at the reading time.
    private static SlidingWindow.Counts recount(List<long[]> outcomes, long readAtMillis) {
        long slotCount = WINDOW_MILLIS / BUCKET_MILLIS + 1;
        long currentId = Math.floorDiv(readAtMillis, BUCKET_MILLIS);
        long failures = 0;
        long successes = 0;
        for (long[] outcome : outcomes) {
            long id = Math.floorDiv(outcome[0], BUCKET_MILLIS);
            if (id <= currentId && currentId - id < slotCount) {
                failures += outcome[1];
                successes += 1 - outcome[1];
            }
        }
        return new SlidingWindow.Counts(failures, successes);
    }
}
