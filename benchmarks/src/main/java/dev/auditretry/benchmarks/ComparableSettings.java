package dev.auditretry.benchmarks;

import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryBudgetConfig;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.backoff.Backoff;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.core.IntervalBiFunction;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The settings that both libraries get in the benchmarks and in the outage simulation, chosen to behave alike.
 * Each call makes up to 3 attempts with the same backoff. The circuit counts outcomes over a 10 s time window and
 * opens at 50% failures among at least 10 calls. It then stays open 5 s and admits one trial call.
 * <p>
 * Differences that remain: audit-retry counts outcomes in 100 buckets of 100 ms and Resilience4j's TIME_BASED
 * window in 10 buckets of 1 s, so an outcome leaves the window up to 100 ms or up to 1 s late. audit-retry's
 * default circuit rule counts failures (5 among at least 10 requests) instead of a rate, so the benchmarks
 * measure both rules of ours.
 */
public final class ComparableSettings {

    /** Total attempts per call, the first included. */
    public static final int MAX_ATTEMPTS = 3;

    /** The failure share that opens the circuit under the rate rule, in percent. */
    public static final int FAILURE_RATE_PERCENT = 50;

    /** Calls inside the window needed before the circuit can open. */
    public static final int MINIMUM_CALLS = 10;

    /** How far back outcomes count. */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    /** How long an open circuit rejects calls before it admits a trial call. */
    public static final Duration OPEN_DURATION = Duration.ofSeconds(5);

    /** The backoff of both libraries: 1 s doubling up to 30 s, with full jitter, audit-retry's default. */
    public static final Backoff BACKOFF = RetryConfig.defaults().backoff();

    private ComparableSettings() {
    }

    /** The retry budget under test: 20% of the first attempts of the last 10 s, plus 1 retry per second. */
    public static final RetryBudgetConfig RETRY_BUDGET = RetryBudgetConfig.of(20, Duration.ofSeconds(10), 1);

    /**
     * Returns audit-retry's retry settings: the defaults, which already make 3 attempts, with a retry budget.
     * @param retryBudget the budget; {@link RetryBudgetConfig#DEFAULT} is disabled
     */
    public static RetryConfig ourRetryConfig(RetryBudgetConfig retryBudget) {
        return RetryConfig.builder().maxAttempts(MAX_ATTEMPTS).retryBudget(retryBudget).build();
    }

    /**
     * Returns audit-retry's circuit settings.
     * @param rule which rule opens the circuit
     */
    public static CircuitBreakerConfig ourCircuitBreakerConfig(CircuitRule rule) {
        CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder()
                .monitoringWindow(WINDOW)
                .minimumRequestThreshold(MINIMUM_CALLS)
                .recoveryTimeout(OPEN_DURATION)
                .halfOpenMaxCalls(1);
        if (rule == CircuitRule.FAILURE_RATE) {
            builder.failureRateThreshold(FAILURE_RATE_PERCENT);
        }
        return builder.build();
    }

    /**
     * Returns Resilience4j's retry settings: 3 attempts with audit-retry's backoff, retrying the HTTP statuses
     * that audit-retry retries by default. A rejection by the circuit is not retried, as in audit-retry.
     * @param random the random source of the jitter
     */
    public static io.github.resilience4j.retry.RetryConfig resilience4jRetryConfig(RandomGenerator random) {
        IntervalBiFunction<Object> interval = (attempt, outcome) -> BACKOFF.delayAfter(attempt, null, random).toMillis();
        return io.github.resilience4j.retry.RetryConfig.custom()
                .maxAttempts(MAX_ATTEMPTS)
                .intervalBiFunction(interval)
                .retryOnException(ComparableSettings::isRetryable)
                .build();
    }

    /**
     * Returns Resilience4j's circuit settings: a TIME_BASED window, since audit-retry's window is one of time too.
     * @param clock the clock of the open duration and of the window
     */
    public static io.github.resilience4j.circuitbreaker.CircuitBreakerConfig resilience4jCircuitBreakerConfig(
            Clock clock) {
        return io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .slidingWindow((int) WINDOW.toSeconds(), MINIMUM_CALLS, SlidingWindowType.TIME_BASED)
                .failureRateThreshold(FAILURE_RATE_PERCENT)
                .waitDurationInOpenState(OPEN_DURATION)
                .permittedNumberOfCallsInHalfOpenState(1)
                .clock(clock)
                .build();
    }

    private static boolean isRetryable(Throwable failure) {
        return failure instanceof HttpStatusException status
                && RetryConfig.DEFAULT_RETRYABLE_STATUS_CODES.contains(status.getStatus());
    }

    /** The rule that opens audit-retry's circuit. */
    public enum CircuitRule {

        /** audit-retry's default: a number of failures inside the window. */
        FAILURE_COUNT,

        /** A share of failures inside the window, as in Resilience4j. */
        FAILURE_RATE
    }
}
