package dev.auditretry.core;

import java.util.List;
import java.util.Objects;

/**
 * Settings of one call site that refine the endpoint's settings, such as those of an annotated method.
 *
 * @param maxAttempts total attempts for this call site, the first included, or 0 to keep the endpoint's value
 * @param retryFor exception types always retried at this call site, matched anywhere in the cause chain
 * @param noRetryFor exception types never retried at this call site. They win over retryFor and over the
 *        classifier, but the circuit still counts them by the classifier's category
 */
public record CallOptions(int maxAttempts, List<Class<? extends Throwable>> retryFor,
        List<Class<? extends Throwable>> noRetryFor) {

    /** Options that change nothing. */
    public static final CallOptions NONE = new CallOptions(0, List.of(), List.of());

    /**
     * Validates the options.
     * @throws IllegalArgumentException if maxAttempts is negative
     */
    public CallOptions {
        if (maxAttempts < 0) {
            throw new IllegalArgumentException(
                    "maxAttempts must be at least 1, or 0 to keep the endpoint's value, but was " + maxAttempts);
        }
        retryFor = List.copyOf(Objects.requireNonNull(retryFor, "retryFor must not be null"));
        noRetryFor = List.copyOf(Objects.requireNonNull(noRetryFor, "noRetryFor must not be null"));
    }

    /** Returns whether these options change anything. */
    public boolean isEmpty() {
        return this.maxAttempts == 0 && this.retryFor.isEmpty() && this.noRetryFor.isEmpty();
    }

    /**
     * Returns the endpoint's settings with this call site's maxAttempts applied, or the same instance when the call
     * site keeps the endpoint's value, so calls without options allocate nothing here.
     * @param endpointConfig the settings of the endpoint
     */
    public RetryConfig applyTo(RetryConfig endpointConfig) {
        if (this.maxAttempts == 0 || this.maxAttempts == endpointConfig.maxAttempts()) {
            return endpointConfig;
        }
        return endpointConfig.toBuilder().maxAttempts(this.maxAttempts).build();
    }

    /**
     * Returns whether a type of retryFor or noRetryFor is found in the failure's cause chain.
     * @param failure the failure to inspect
     * @param types the types to look for
     */
    static boolean matchesAny(Throwable failure, List<Class<? extends Throwable>> types) {
        if (types.isEmpty()) {
            return false;
        }
        int depth = 0;
        for (Throwable current = failure; current != null && depth < 32; current = current.getCause(), depth++) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(current)) {
                    return true;
                }
            }
        }
        return false;
    }
}
