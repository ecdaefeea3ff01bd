package dev.auditretry.core.backoff;

/**
 * Randomizes retry waits so that clients that failed together do not retry in lockstep.
 * <p>
 * Each mode shapes the exponential base wait {@code min(initialDelay * multiplier^(n-1), maxDelay)}.
 */
public enum Jitter {

    /** No randomness: every wait is exactly the base wait. */
    NONE,

    /** A wait drawn uniformly between zero and the base wait; spreads retries the most. */
    FULL,

    /** A wait drawn uniformly between half the base wait and the base wait. */
    EQUAL,

    /**
     * A wait drawn uniformly between initialDelay and three times the previous wait, capped at maxDelay.
     * The backoff multiplier does not apply in this mode.
     */
    DECORRELATED
}
