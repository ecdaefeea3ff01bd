package dev.auditretry.benchmarks.outage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A discrete-event simulation on one thread: actions run in order of their logical time, and the clock jumps
 * from one action to the next, so a run takes milliseconds and repeats exactly.
 * <p>
 * Not thread-safe: every action, and everything the libraries do in response, runs on the calling thread.
 */
final class EventLoop {

    // Logical time starts here rather than at the epoch, so that no library mistakes time zero for "never".
    static final long ORIGIN_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private final PriorityQueue<Event> queue = new PriorityQueue<>();

    private final Clock clock = new LogicalClock();

    private long nowMillis = ORIGIN_MILLIS;

    private long sequence;

    /** Returns the milliseconds since the simulation began. */
    long elapsedMillis() {
        return this.nowMillis - ORIGIN_MILLIS;
    }

    /** Returns a clock that reads the logical time. */
    Clock clock() {
        return this.clock;
    }

    /**
     * Runs an action once the logical time reaches the given offset; actions at the same time run in the order
     * they were scheduled.
     * @param atElapsedMillis milliseconds since the simulation began, not before the current time
     */
    void scheduleAt(long atElapsedMillis, Runnable action) {
        long atMillis = ORIGIN_MILLIS + atElapsedMillis;
        if (atMillis < this.nowMillis) {
            throw new IllegalArgumentException("cannot schedule an action in the past: at " + atElapsedMillis
                    + " ms, but the time is already " + elapsedMillis() + " ms");
        }
        this.queue.add(new Event(atMillis, this.sequence++, action));
    }

    /** Runs an action after the given delay from now. */
    void scheduleAfter(long delayMillis, Runnable action) {
        scheduleAt(elapsedMillis() + Math.max(0, delayMillis), action);
    }

    /** Returns a stage that completes after the given delay, for audit-retry's DelayScheduler. */
    CompletionStage<Void> delay(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduleAfter(delay.toMillis(), () -> done.complete(null));
        return done;
    }

    /** Runs actions in time order until none is left. */
    void runToCompletion() {
        while (!this.queue.isEmpty()) {
            Event next = this.queue.poll();
            this.nowMillis = next.atMillis();
            next.action().run();
        }
    }

    private record Event(long atMillis, long sequence, Runnable action) implements Comparable<Event> {

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(this.atMillis, other.atMillis);
            return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
        }
    }

    private final class LogicalClock extends Clock {

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the logical clock is always in UTC");
        }

        @Override
        public long millis() {
            return EventLoop.this.nowMillis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(EventLoop.this.nowMillis);
        }
    }
}
