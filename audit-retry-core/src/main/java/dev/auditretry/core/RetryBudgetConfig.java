package dev.auditretry.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits retries per circuit to a share of recent first attempts, so that retries cannot multiply the load on a
 * service that is already failing.
 * <p>
 * A retry is allowed while the retries of the last {@code window} stay within {@code percent} of the first
 * attempts of that window plus {@code minRetriesPerSecond} times the window in seconds. The floor lets a quiet
 * service still retry its few calls.
 *
 * @param enabled whether the budget applies; off by default
 * @param percent retries allowed per 100 first attempts in the window, from 1 to 1000
 * @param window how far back first attempts and retries count, at least 1 s
 * @param minRetriesPerSecond retries allowed per second of the window whatever the traffic, zero or more
 */
public record RetryBudgetConfig(boolean enabled, double percent, Duration window, double minRetriesPerSecond) {

    /** The default: disabled; when enabled, 20% of the first attempts of the last 10 s plus 1 retry per second. */
    public static final RetryBudgetConfig DEFAULT = new RetryBudgetConfig(false, 20, Duration.ofSeconds(10), 1);

    /**
     * Validates the settings.
     * @throws IllegalArgumentException naming the field, the rejected value and the allowed range
     */
    public RetryBudgetConfig {
        Objects.requireNonNull(window, "retryBudget.window must not be null");
        if (!(percent >= 1 && percent <= 1000)) {
            throw new IllegalArgumentException("retryBudget.percent must be from 1 to 1000 but was " + percent
                    + "; use 20 to allow one retry per five first attempts");
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("retryBudget.window must be at least 1 s but was " + window);
        }
        if (!(minRetriesPerSecond >= 0) || Double.isInfinite(minRetriesPerSecond)) {
            throw new IllegalArgumentException("retryBudget.minRetriesPerSecond must be zero or more but was "
                    + minRetriesPerSecond);
        }
    }

    /**
     * Returns an enabled budget.
     * @param percent retries allowed per 100 first attempts in the window
     * @param window how far back first attempts and retries count
     * @param minRetriesPerSecond retries allowed per second of the window whatever the traffic
     */
    public static RetryBudgetConfig of(double percent, Duration window, double minRetriesPerSecond) {
        return new RetryBudgetConfig(true, percent, window, minRetriesPerSecond);
    }
}
