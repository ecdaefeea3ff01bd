package dev.auditretry.core.circuit;

import java.time.Duration;

/**
 * Counts outcomes over the last window of time in a ring of small buckets, so outcomes age out a bucket at a
 * time and the memory per circuit stays fixed however busy it is.
 * <p>
 * A bucket covers one hundredth of the window. An outcome stops counting once its bucket lies wholly
 * outside the window, which is at most one bucket width (1% of the window) later than its exact age.
 * Not thread-safe: the owning {@link CircuitBreaker} guards it with its lock.
 */
final class SlidingWindow {

    static final int BUCKETS_PER_WINDOW = 100;

    private final long windowMillis;

    private final long bucketMillis;

    private final int slotCount;

    // Allocated on the first outcome, so circuits that never record one cost almost nothing.
    private long[] bucketIds;

    private int[] failures;

    private int[] successes;

    SlidingWindow(Duration window) {
        this.windowMillis = Math.max(1, window.toMillis());
        this.bucketMillis = Math.max(1, ceilDiv(this.windowMillis, BUCKETS_PER_WINDOW));
        // One more slot than the window spans, because the newest bucket is only partly filled.
        this.slotCount = (int) ceilDiv(this.windowMillis, this.bucketMillis) + 1;
    }

    void recordSuccess(long nowMillis) {
        int slot = slotFor(nowMillis);
        this.successes[slot]++;
    }

    void recordFailure(long nowMillis) {
        int slot = slotFor(nowMillis);
        this.failures[slot]++;
    }

    /** Returns the failures and the total outcomes inside the window ending now. */
    Counts counts(long nowMillis) {
        if (this.bucketIds == null) {
            return Counts.EMPTY;
        }
        long currentId = Math.floorDiv(nowMillis, this.bucketMillis);
        long failureSum = 0;
        long successSum = 0;
        for (int slot = 0; slot < this.slotCount; slot++) {
            if (isLive(this.bucketIds[slot], currentId)) {
                failureSum += this.failures[slot];
                successSum += this.successes[slot];
            }
        }
        return new Counts(failureSum, successSum);
    }

    void clear() {
        this.bucketIds = null;
        this.failures = null;
        this.successes = null;
    }

    /** Copies the outcomes that are still inside the other window's span into this one. */
    void copyFrom(SlidingWindow other, long nowMillis) {
        if (other.bucketIds == null) {
            return;
        }
        long otherCurrentId = Math.floorDiv(nowMillis, other.bucketMillis);
        for (int slot = 0; slot < other.slotCount; slot++) {
            long id = other.bucketIds[slot];
            if (!other.isLive(id, otherCurrentId)) {
                continue;
            }
            long bucketStartMillis = id * other.bucketMillis;
            if (nowMillis - bucketStartMillis >= this.windowMillis + this.bucketMillis) {
                continue;
            }
            int target = slotFor(bucketStartMillis);
            this.failures[target] += other.failures[slot];
            this.successes[target] += other.successes[slot];
        }
    }

    private boolean isLive(long bucketId, long currentId) {
        return bucketId != Long.MIN_VALUE && bucketId <= currentId && currentId - bucketId < this.slotCount;
    }

    private int slotFor(long nowMillis) {
        if (this.bucketIds == null) {
            this.bucketIds = new long[this.slotCount];
            java.util.Arrays.fill(this.bucketIds, Long.MIN_VALUE);
            this.failures = new int[this.slotCount];
            this.successes = new int[this.slotCount];
        }
        long id = Math.floorDiv(nowMillis, this.bucketMillis);
        int slot = (int) Math.floorMod(id, (long) this.slotCount);
        // NOTE: a clock that jumps back by a bucket width or more reuses a newer bucket's slot and drops its counts.
        if (this.bucketIds[slot] != id) {
            this.bucketIds[slot] = id;
            this.failures[slot] = 0;
            this.successes[slot] = 0;
        }
        return slot;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    record Counts(long failures, long successes) {

        static final Counts EMPTY = new Counts(0, 0);

        long total() {
            return this.failures + this.successes;
        }
    }
}
