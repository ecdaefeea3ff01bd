package dev.auditretry.core.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Computes the wait before a retry as a pure function of the failed attempt number, the settings
 * and a random source, so tests can replay exact waits with a seeded generator.
 * <p>
 * No wait is negative or longer than maxDelay, and large attempt numbers saturate at maxDelay
 * instead of overflowing.
 */
public final class Backoff {

    private static final int DECORRELATED_GROWTH = 3;

    private final Duration initialDelay;

    private final Duration maxDelay;

    private final double multiplier;

    private final Jitter jitter;

    /**
     * Creates a backoff.
     * @param initialDelay base wait after the first failed attempt, zero or positive
     * @param maxDelay upper bound of every wait, not shorter than initialDelay
     * @param multiplier growth of the base wait per failed attempt, at least 1
     * @param jitter how the base wait is randomized
     * @throws IllegalArgumentException if a value is outside its range
     */
    public Backoff(Duration initialDelay, Duration maxDelay, double multiplier, Jitter jitter) {
        Objects.requireNonNull(initialDelay, "initialDelay must not be null");
        Objects.requireNonNull(maxDelay, "maxDelay must not be null");
        Objects.requireNonNull(jitter, "jitter must not be null");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must not be negative but was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "maxDelay (" + maxDelay + ") must not be shorter than initialDelay (" + initialDelay + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1 but was " + multiplier);
        }
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
    }

    /**
     * Returns the base wait after the given failed attempt, before jitter.
     * @param failedAttempt the attempt that just failed, counting from 1
     * @throws IllegalArgumentException if failedAttempt is below 1
     */
    public Duration baseDelayAfter(int failedAttempt) {
        requirePositiveAttempt(failedAttempt);
        long maxNanos = saturatedNanos(this.maxDelay);
        long initialNanos = saturatedNanos(this.initialDelay);
        if (initialNanos == 0) {
            return Duration.ZERO;
        }

        // Math.pow saturates to infinity for huge exponents, and Math.min then yields maxDelay exactly.
        double exponential = initialNanos * Math.pow(this.multiplier, failedAttempt - 1);
        if (exponential >= maxNanos) {
            return this.maxDelay;
        }

        return Duration.ofNanos(Math.round(exponential));
    }

    /**
     * Returns the wait before the next attempt after the given failed attempt.
     * @param failedAttempt the attempt that just failed, counting from 1
     * @param previousDelay the wait chosen before the failed attempt, or null after the first attempt;
     *        only {@link Jitter#DECORRELATED} uses it
     * @param random source of randomness for jitter
     * @throws IllegalArgumentException if failedAttempt is below 1
     */
    public Duration delayAfter(int failedAttempt, Duration previousDelay, RandomGenerator random) {
        requirePositiveAttempt(failedAttempt);
        Duration base = baseDelayAfter(failedAttempt);

        return switch (this.jitter) {
            case NONE -> base;
            case FULL -> scale(base, random.nextDouble());
            case EQUAL -> base.minus(scale(base, 0.5 * random.nextDouble()));
            case DECORRELATED -> decorrelated(previousDelay, random);
        };
    }

    private Duration decorrelated(Duration previousDelay, RandomGenerator random) {
        Duration previous = (previousDelay != null) ? previousDelay : this.initialDelay;
        double lowNanos = saturatedNanos(this.initialDelay);
        double highNanos = Math.min((double) saturatedNanos(previous) * DECORRELATED_GROWTH,
                saturatedNanos(this.maxDelay));
        if (highNanos <= lowNanos) {
            return (previous.compareTo(this.maxDelay) > 0) ? this.maxDelay : this.initialDelay;
        }

        double drawn = lowNanos + (highNanos - lowNanos) * random.nextDouble();

        return clamp(Duration.ofNanos(Math.round(drawn)));
    }

    private Duration scale(Duration base, double fraction) {
        double nanos = saturatedNanos(base) * fraction;
        return clamp(Duration.ofNanos(Math.round(nanos)));
    }

    private Duration clamp(Duration delay) {
        if (delay.isNegative()) {
            return Duration.ZERO;
        }
        return (delay.compareTo(this.maxDelay) > 0) ? this.maxDelay : delay;
    }

    private static void requirePositiveAttempt(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt must be at least 1 but was " + failedAttempt);
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }

    public Duration getInitialDelay() {
        return this.initialDelay;
    }

    public Duration getMaxDelay() {
        return this.maxDelay;
    }

    public double getMultiplier() {
        return this.multiplier;
    }

    public Jitter getJitter() {
        return this.jitter;
    }
}
