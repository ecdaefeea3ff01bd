package dev.auditretry.core;

import java.time.Duration;

/**
 * Waits between attempts. Tests inject one that advances a fake clock instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for the given time.
     * @param duration how long to wait, zero or positive
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /** Returns a sleeper that parks the calling thread with {@link Thread#sleep}, which does not pin a virtual thread. */
    static Sleeper threadSleep() {
        return (duration) -> {
            long nanos = duration.toNanos();
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
            else if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before a zero-length wait");
            }
        };
    }
}
