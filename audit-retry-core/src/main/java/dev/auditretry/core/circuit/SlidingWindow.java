package dev.auditretry.core.circuit;

import java.time.Duration;
import java.util.Arrays;

/**
 * Counts outcomes over the last window of time in a ring of small buckets, so outcomes age out a bucket at a
 * time and the memory per circuit stays fixed however busy it is.
 * <p>
 * A bucket covers one hundredth of the window. An outcome stops counting once its bucket lies wholly
 * outside the window, which is at most one bucket width (1% of the window) later than its exact age. Running
 * totals make reading the counts constant-time: buckets that age out are subtracted as time moves on.
 * Not thread-safe: the owner guards it with a lock.
 */
final class SlidingWindow {

    static final int BUCKETS_PER_WINDOW = 100;

    private static final long EMPTY = Long.MIN_VALUE;

    private final long windowMillis;

    private final long bucketMillis;

    private final int slotCount;

    // Allocated on the first outcome, so circuits that never record one cost almost nothing.
    private long[] bucketIds;

    private int[] failures;

    private int[] successes;

    private long totalFailures;

    private long totalSuccesses;

    // The newest bucket the window has moved to; the live buckets are the slotCount ones ending here.
    private long headId = EMPTY;

    SlidingWindow(Duration window) {
        this.windowMillis = Math.max(1, window.toMillis());
        this.bucketMillis = Math.max(1, ceilDiv(this.windowMillis, BUCKETS_PER_WINDOW));
        // One more slot than the window spans, because the newest bucket is only partly filled.
        this.slotCount = (int) ceilDiv(this.windowMillis, this.bucketMillis) + 1;
    }

    void recordSuccess(long nowMillis) {
        add(nowMillis, 0, 1);
    }

    void recordFailure(long nowMillis) {
        add(nowMillis, 1, 0);
    }

    /** Returns the failures and the total outcomes inside the window ending now. */
    Counts counts(long nowMillis) {
        advance(nowMillis);
        return new Counts(this.totalFailures, this.totalSuccesses);
    }

    /** Returns the failures inside the window; call after a record or {@link #counts} at the same time. */
    long failureCount() {
        return this.totalFailures;
    }

    /** Returns the outcomes inside the window; call after a record or {@link #counts} at the same time. */
    long totalCount() {
        return this.totalFailures + this.totalSuccesses;
    }

    void clear() {
        this.bucketIds = null;
        this.failures = null;
        this.successes = null;
        this.totalFailures = 0;
        this.totalSuccesses = 0;
        this.headId = EMPTY;
    }

    /** Copies the outcomes that are still inside the other window's span into this one. */
    void copyFrom(SlidingWindow other, long nowMillis) {
        other.advance(nowMillis);
        if (other.bucketIds == null) {
            return;
        }
        advance(nowMillis);
        for (int slot = 0; slot < other.slotCount; slot++) {
            long id = other.bucketIds[slot];
            if (id == EMPTY) {
                continue;
            }
            long bucketStartMillis = id * other.bucketMillis;
            if (nowMillis - bucketStartMillis >= this.windowMillis + this.bucketMillis) {
                continue;
            }
            add(bucketStartMillis, other.failures[slot], other.successes[slot]);
        }
    }

    private void add(long atMillis, int failureCount, int successCount) {
        advance(atMillis);
        long id = Math.floorDiv(atMillis, this.bucketMillis);
        // An outcome from before the live buckets, as after the clock jumped back by more than the window, no
        // longer counts.
        if (id <= this.headId - this.slotCount) {
            return;
        }
        int slot = (int) Math.floorMod(id, (long) this.slotCount);
        if (this.bucketIds[slot] != id) {
            this.bucketIds[slot] = id;
            this.failures[slot] = 0;
            this.successes[slot] = 0;
        }
        this.failures[slot] += failureCount;
        this.successes[slot] += successCount;
        this.totalFailures += failureCount;
        this.totalSuccesses += successCount;
    }

    // Subtracts the buckets that left the window since the last move. The live buckets always have distinct
    // slots, so afterwards a slot is either empty or contains a live bucket.
    private void advance(long nowMillis) {
        long currentId = Math.floorDiv(nowMillis, this.bucketMillis);
        if (this.bucketIds == null) {
            allocate();
            this.headId = currentId;
            return;
        }
        if (currentId <= this.headId) {
            return;
        }
        if (currentId - this.headId >= this.slotCount) {
            Arrays.fill(this.bucketIds, EMPTY);
            this.totalFailures = 0;
            this.totalSuccesses = 0;
        }
        else {
            for (long expired = this.headId - this.slotCount + 1; expired <= currentId - this.slotCount; expired++) {
                int slot = (int) Math.floorMod(expired, (long) this.slotCount);
                if (this.bucketIds[slot] == expired) {
                    this.totalFailures -= this.failures[slot];
                    this.totalSuccesses -= this.successes[slot];
                    this.bucketIds[slot] = EMPTY;
                }
            }
        }
        this.headId = currentId;
    }

    private void allocate() {
        this.bucketIds = new long[this.slotCount];
        Arrays.fill(this.bucketIds, EMPTY);
        this.failures = new int[this.slotCount];
        this.successes = new int[this.slotCount];
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    record Counts(long failures, long successes) {

        long total() {
            return this.failures + this.successes;
        }
    }
}
