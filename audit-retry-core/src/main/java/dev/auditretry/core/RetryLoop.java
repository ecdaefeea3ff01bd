package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreaker;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.Permit;
import dev.auditretry.core.circuit.RetryBudget;
import dev.auditretry.core.classify.ErrorCategory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt loop of {@link RetryManager}: acquire permission, call, classify, then rethrow, give up or wait
 * and try again. Stateless, so one instance serves all calls and a successful call allocates nothing here.
 */
final class RetryLoop {

    private static final Logger logger = LoggerFactory.getLogger(RetryManager.class);

    private final RetryManager manager;

    RetryLoop(RetryManager manager) {
        this.manager = manager;
    }

    /**
     * Runs one call.
     * @param attemptCounter receives the attempt count as the call goes, or null when the caller does not need it
     */
    <T, E extends Exception> T run(Endpoint endpoint, RetryContext context, CallOptions options,
            RetryableCall<T, E> operation, AttemptCounter attemptCounter) throws E {
        long startMillis = this.manager.clock().millis();
        endpoint.markUsed(startMillis);
        CircuitBreaker circuitBreaker = endpoint.circuitBreaker();
        Throwable lastFailure = null;
        Duration previousDelay = null;
        int attempt = 0;
        while (true) {
            Settings.Resolved settings = endpoint.settings(this.manager.currentSettings());
            RetryConfig retryConfig = options.applyTo(settings.retry());
            boolean circuitEnabled = settings.circuitBreaker().enabled();
            if (attempt > 0 && isPastDeadline(retryConfig, startMillis, this.manager.clock().millis())) {
                throw failedCall(context, lastFailure, RetryStop.MAX_ELAPSED, attempt, startMillis);
            }

            Permit permit = null;
            if (circuitEnabled) {
                try {
                    permit = circuitBreaker.acquirePermission();
                }
                catch (CircuitBreakerOpenException rejected) {
                    throw rejectedCall(context, rejected, lastFailure, attempt, startMillis);
                }
            }

            attempt++;
            if (attemptCounter != null) {
                attemptCounter.attempts = attempt;
            }
            if (attempt == 1 && endpoint.retryBudget() != null) {
                endpoint.retryBudget().recordFirstAttempt(startMillis);
            }
            T value;
            try {
                value = operation.call();
            }
            catch (Throwable failure) {
                // Settings may have changed during the attempt; the decision and the wait use the newest ones.
                settings = endpoint.settings(this.manager.currentSettings());
                retryConfig = options.applyTo(settings.retry());
                ErrorCategory category = this.manager.classify(failure, retryConfig, options);
                if (permit != null) {
                    RetryManager.record(circuitBreaker, permit, category);
                }

                Duration delay = decideRetry(endpoint, context, retryConfig, failure, category, attempt, previousDelay,
                        startMillis);
                logRetry(context, delay, attempt, retryConfig, failure);
                this.manager.notifyRetryScheduled(context, attempt, delay, failure);
                waitBeforeRetry(context, delay, failure, attempt, startMillis);

                previousDelay = delay;
                lastFailure = failure;
                continue;
            }
            if (permit != null) {
                circuitBreaker.recordSuccess(permit);
            }
            CallOutcome outcome = (attempt == 1) ? CallOutcome.SUCCESS_WITHOUT_RETRY : CallOutcome.SUCCESS_AFTER_RETRY;
            this.manager.notifyCallFinished(context, outcome, attempt, startMillis, null);
            return value;
        }
    }

    /**
     * Returns the wait before the next attempt, or throws what ends the call: the failure itself, a
     * {@link RetryExhaustedException} or the circuit's rejection. The rules apply in the order written here.
     */
    Duration decideRetry(Endpoint endpoint, RetryContext context, RetryConfig retryConfig, Throwable failure,
            ErrorCategory category, int attempt, Duration previousDelay, long startMillis) {
        if (!category.isRetryable()) {
            throw failedCall(context, failure, null, attempt, startMillis);
        }
        if (!retryConfig.isRepeatable(context.getMethod()) && !this.manager.classifier().isRequestNotProcessed(failure)) {
            throw failedCall(context, failure, RetryStop.NOT_IDEMPOTENT, attempt, startMillis);
        }
        if (attempt >= retryConfig.effectiveMaxAttempts()) {
            throw failedCall(context, failure, RetryStop.MAX_ATTEMPTS, attempt, startMillis);
        }
        if (endpoint.settings(this.manager.currentSettings()).circuitBreaker().enabled()) {
            Optional<CircuitBreakerOpenException> rejection = endpoint.circuitBreaker().currentRejection();
            if (rejection.isPresent()) {
                throw rejectedCall(context, rejection.get(), failure, attempt, startMillis);
            }
        }

        long nowMillis = this.manager.clock().millis();
        Duration delay = retryConfig.backoff().delayAfter(attempt, previousDelay, this.manager.random());
        Optional<Duration> retryAfter = this.manager.classifier().findRetryAfter(failure)
                .flatMap((value) -> RetryAfter.parse(value, Instant.ofEpochMilli(nowMillis)));
        if (retryAfter.isPresent()) {
            if (retryAfter.get().compareTo(retryConfig.maxRetryAfter()) > 0) {
                throw failedCall(context, failure, RetryStop.RETRY_AFTER_TOO_LONG, attempt, startMillis);
            }
            delay = (retryAfter.get().compareTo(delay) > 0) ? retryAfter.get() : delay;
        }
        if (isPastDeadline(retryConfig, startMillis, nowMillis + delay.toMillis())) {
            throw failedCall(context, failure, RetryStop.MAX_ELAPSED, attempt, startMillis);
        }

        RetryBudget budget = endpoint.retryBudget();
        if (budget != null && !budget.tryAcquireRetry(nowMillis)) {
            if (budget.shouldWarn(nowMillis)) {
                logger.warn("Retry budget of '{}' is spent; retryable failures are returned without retrying "
                        + "until first attempts refill it", context.getCircuitKey());
            }
            throw failedCall(context, failure, RetryStop.RETRY_BUDGET, attempt, startMillis);
        }
        return delay;
    }

    static boolean isPastDeadline(RetryConfig retryConfig, long startMillis, long atMillis) {
        Duration maxElapsed = retryConfig.maxElapsed();
        return maxElapsed != null && atMillis - startMillis > maxElapsed.toMillis();
    }

    private void waitBeforeRetry(RetryContext context, Duration delay, Throwable failure, int attempt,
            long startMillis) {
        try {
            this.manager.sleeper().sleep(delay);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(interrupted);
            logger.debug("Stopped retrying '{}' because the thread was interrupted during the wait", context);
            CallOutcome outcome = (attempt == 1) ? CallOutcome.FAILED_WITHOUT_RETRY : CallOutcome.FAILED_AFTER_RETRY;
            this.manager.notifyCallFinished(context, outcome, attempt, startMillis, failure);
            throw Failures.sneakyThrow(failure);
        }
    }

    /**
     * Ends a call with a failure. It becomes a {@link RetryExhaustedException} when all of several attempts were
     * used or when maxElapsed ran out; otherwise the caller gets the failure as thrown.
     * @param stop why a retryable failure was not retried, or null when the failure is not retryable
     */
    RuntimeException failedCall(RetryContext context, Throwable failure, RetryStop stop, int attempt,
            long startMillis) {
        Throwable thrown = failure;
        if ((stop == RetryStop.MAX_ATTEMPTS && attempt > 1) || stop == RetryStop.MAX_ELAPSED) {
            String limit = (stop == RetryStop.MAX_ELAPSED) ? " because maxElapsed ran out" : "";
            String description = describe(failure);
            logger.warn("Giving up on '{}' after {} attempts{}: {}", context, attempt, limit, description);
            thrown = new RetryExhaustedException(context, attempt, failure, stop, description);
        }
        else {
            logger.debug("Call to '{}' failed after {} {}, not retrying ({}): {}", context, attempt,
                    (attempt == 1) ? "attempt" : "attempts", (stop != null) ? stop : "not retryable", describe(failure));
        }
        if (stop != null) {
            this.manager.notifyRetryStopped(context, stop, attempt, failure);
        }
        CallOutcome outcome = (attempt == 1) ? CallOutcome.FAILED_WITHOUT_RETRY : CallOutcome.FAILED_AFTER_RETRY;
        this.manager.notifyCallFinished(context, outcome, attempt, startMillis, thrown);
        return Failures.sneakyThrow(thrown);
    }

    RuntimeException rejectedCall(RetryContext context, CircuitBreakerOpenException rejection,
            Throwable lastFailure, int attempts, long startMillis) {
        CircuitBreakerOpenException thrown = (lastFailure != null) ? rejection.withCause(lastFailure) : rejection;
        if (lastFailure != null) {
            this.manager.notifyRetryStopped(context, RetryStop.CIRCUIT_OPEN, attempts, lastFailure);
        }
        logger.debug("Circuit rejected '{}' after {} {}: {}", context, attempts, (attempts == 1) ? "attempt" : "attempts",
                rejection.getMessage());
        this.manager.notifyCallFinished(context, CallOutcome.REJECTED, attempts, startMillis, thrown);
        return thrown;
    }

    void logRetry(RetryContext context, Duration delay, int failedAttempt, RetryConfig retryConfig, Throwable failure) {
        if (logger.isDebugEnabled()) {
            logger.debug("Retrying '{}' in {} (attempt {} of {}) after {}", context, Durations.format(delay),
                    failedAttempt + 1, retryConfig.effectiveMaxAttempts(), describe(failure));
        }
    }

    private String describe(Throwable failure) {
        return Failures.describe(failure, this.manager.classifier());
    }

    /**
     * Counts attempts for a caller that needs the count after a failure, such as {@link RetryManager#executeAll}.
     */
    static final class AttemptCounter {

        volatile int attempts;
    }
}
