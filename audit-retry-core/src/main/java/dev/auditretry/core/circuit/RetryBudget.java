package dev.auditretry.core.circuit;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the first attempts and the retries of one circuit over a sliding window and allows a retry only while
 * retries stay within a share of the first attempts plus a fixed floor per second.
 * <p>
 * Thread-safe: checking and counting a retry is one step under a short lock, so concurrent callers cannot
 * overspend the budget.
 */
public final class RetryBudget {

    private final ReentrantLock lock = new ReentrantLock();

    private final double ratio;

    private final double floorRetries;

    private final long windowMillis;

    // First attempts are counted as the window's successes and retries as its failures.
    private final SlidingWindow window;

    private long lastWarningMillis = Long.MIN_VALUE;

    /**
     * Creates an empty budget.
     * @param percent retries allowed per 100 first attempts in the window
     * @param window how far back first attempts and retries count
     * @param minRetriesPerSecond retries allowed per second of the window whatever the traffic
     */
    public RetryBudget(double percent, Duration window, double minRetriesPerSecond) {
        this.ratio = percent / 100.0;
        this.windowMillis = window.toMillis();
        this.floorRetries = minRetriesPerSecond * this.windowMillis / 1000.0;
        this.window = new SlidingWindow(window);
    }

    /**
     * Counts a first attempt, which adds to the budget.
     * @param nowMillis the current time
     */
    public void recordFirstAttempt(long nowMillis) {
        this.lock.lock();
        try {
            this.window.recordSuccess(nowMillis);
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Counts a retry if the budget allows one.
     * @param nowMillis the current time
     * @return whether the retry may go ahead
     */
    public boolean tryAcquireRetry(long nowMillis) {
        this.lock.lock();
        try {
            SlidingWindow.Counts counts = this.window.counts(nowMillis);
            double allowed = this.ratio * counts.successes() + this.floorRetries;
            if (counts.failures() + 1 > allowed) {
                return false;
            }
            this.window.recordFailure(nowMillis);
            return true;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Returns whether a warning about a spent budget is due, at most once per window, and if so records it.
     * @param nowMillis the current time
     */
    public boolean shouldWarn(long nowMillis) {
        this.lock.lock();
        try {
            if (this.lastWarningMillis != Long.MIN_VALUE && nowMillis - this.lastWarningMillis < this.windowMillis) {
                return false;
            }
            this.lastWarningMillis = nowMillis;
            return true;
        }
        finally {
            this.lock.unlock();
        }
    }
}
