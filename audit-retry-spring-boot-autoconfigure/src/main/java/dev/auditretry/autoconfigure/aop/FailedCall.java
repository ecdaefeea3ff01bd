package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.RetryExhaustedException;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.classify.ErrorCategory;

/**
 * What the caller of an {@code @AuditRetryable} method receives after the manager ended a call with a failure, and
 * whether the fallback method handles it. The synchronous and the asynchronous advice share it, so that callers get
 * the same exceptions from both.
 *
 * @param failure what the caller receives when no fallback runs
 * @param fallbackApplies whether the fallback method, if there is one, handles the failure
 */
record FailedCall(Throwable failure, boolean fallbackApplies) {

    /**
     * Decides for a failure that the manager ended a call with.
     * @param thrown what the manager threw or completed its future with
     * @param lastFailure the failure of the last attempt, or null when no attempt failed
     * @param method the annotated method
     * @param manager the manager that ran the call
     * @param interrupted whether the thread was interrupted during a wait, which the manager reports by rethrowing
     *        the retryable failure unchanged
     */
    static FailedCall of(Throwable thrown, Throwable lastFailure, RetryableMethod method, RetryManager manager,
            boolean interrupted) {
        Throwable failure = thrown;
        boolean fallbackApplies;
        if (thrown instanceof RetryExhaustedException exhausted && isSame(exhausted.getCause(), lastFailure)) {
            failure = exhausted.getCause();
            fallbackApplies = true;
        }
        else if (isSame(thrown, lastFailure)) {
            fallbackApplies = fallbackAppliesToUnchangedFailure(thrown, method, manager, interrupted);
        }
        else {
            // The manager's own rejection: the method's own CircuitBreakerOpenException is the last failure.
            fallbackApplies = thrown instanceof CircuitBreakerOpenException;
        }
        return new FailedCall(AuditRetryableInterceptor.Attempts.unwrap(failure), fallbackApplies);
    }

    /**
     * Decides for a failure that the manager passed on unchanged: a retryable one used up the only attempt (retrying
     * disabled or max-attempts 1), any other was never retried.
     */
    private static boolean fallbackAppliesToUnchangedFailure(Throwable failure, RetryableMethod method,
            RetryManager manager, boolean interrupted) {
        ErrorCategory category = manager.classify(AuditRetryableInterceptor.Attempts.unwrap(failure), method.context(),
                method.options());
        if (category.isRetryable()) {
            return !interrupted;
        }
        return category != ErrorCategory.CANCELLED && method.fallbackOnNonRetryable();
    }

    private static boolean isSame(Throwable failure, Throwable lastFailure) {
        return failure != null && failure == lastFailure;
    }
}
