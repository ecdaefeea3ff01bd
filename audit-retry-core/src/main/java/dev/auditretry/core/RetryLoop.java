package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreaker;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.Permit;
import dev.auditretry.core.classify.ErrorCategory;
import java.time.Duration;
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
        CircuitBreaker circuitBreaker = endpoint.circuitBreaker();
        Throwable lastFailure = null;
        Duration previousDelay = null;
        int attempt = 0;
        while (true) {
            Settings.Resolved settings = endpoint.settings(this.manager.currentSettings());
            RetryConfig retryConfig = options.isEmpty() ? settings.retry() : options.applyTo(settings.retry());
            boolean circuitEnabled = settings.circuitBreaker().enabled();

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
            T value;
            try {
                value = operation.call();
            }
            catch (Throwable failure) {
                // Settings may have changed during the attempt; the decision and the wait use the newest ones.
                settings = endpoint.settings(this.manager.currentSettings());
                retryConfig = options.isEmpty() ? settings.retry() : options.applyTo(settings.retry());
                ErrorCategory category = this.manager.classify(failure, retryConfig, options);
                if (permit != null) {
                    RetryManager.record(circuitBreaker, permit, category);
                }
                int maxAttempts = retryConfig.effectiveMaxAttempts();
                if (!category.isRetryable() || attempt >= maxAttempts) {
                    throw failedCall(context, failure, category, attempt, startMillis);
                }
                if (circuitEnabled) {
                    Optional<CircuitBreakerOpenException> rejection = circuitBreaker.currentRejection();
                    if (rejection.isPresent()) {
                        throw rejectedCall(context, rejection.get(), failure, attempt, startMillis);
                    }
                }

                Duration delay = retryConfig.backoff().delayAfter(attempt, previousDelay, this.manager.random());
                logger.debug("Retrying '{}' in {} (attempt {} of {}) after {}", context, Durations.format(delay),
                        attempt + 1, maxAttempts, Failures.describe(failure));
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
            this.manager.notifyCallFinished(context, outcome, attempt, elapsedMillis(startMillis), null);
            return value;
        }
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
            this.manager.notifyCallFinished(context, outcome, attempt, elapsedMillis(startMillis), failure);
            throw Failures.sneakyThrow(failure);
        }
    }

    private RuntimeException failedCall(RetryContext context, Throwable failure, ErrorCategory category,
            int attempt, long startMillis) {
        Throwable thrown = failure;
        if (category.isRetryable() && attempt > 1) {
            logger.warn("Giving up on '{}' after {} attempts: {}", context, attempt, Failures.describe(failure));
            thrown = new RetryExhaustedException(context, attempt, failure);
        }
        else {
            logger.debug("Call to '{}' failed with {} after {} attempts, not retrying: {}", context, category,
                    attempt, Failures.describe(failure));
        }
        CallOutcome outcome = (attempt == 1) ? CallOutcome.FAILED_WITHOUT_RETRY : CallOutcome.FAILED_AFTER_RETRY;
        this.manager.notifyCallFinished(context, outcome, attempt, elapsedMillis(startMillis), thrown);
        return Failures.sneakyThrow(thrown);
    }

    private RuntimeException rejectedCall(RetryContext context, CircuitBreakerOpenException rejection,
            Throwable lastFailure, int attempts, long startMillis) {
        CircuitBreakerOpenException thrown = (lastFailure != null) ? rejection.withCause(lastFailure) : rejection;
        logger.debug("Circuit rejected '{}' after {} attempts: {}", context, attempts, rejection.getMessage());
        this.manager.notifyCallFinished(context, CallOutcome.REJECTED, attempts, elapsedMillis(startMillis), thrown);
        return thrown;
    }

    private long elapsedMillis(long startMillis) {
        return Math.max(0, this.manager.clock().millis() - startMillis);
    }

    /**
     * Counts attempts for a caller that needs the count after a failure, such as {@link RetryManager#executeAll}.
     */
    static final class AttemptCounter {

        volatile int attempts;
    }
}
