package dev.auditretry.core.classify;

import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryConfig;
import java.util.Optional;

/**
 * Decides what a failed attempt means: whether to retry it and how the circuit counts it.
 * <p>
 * Implementations must be thread-safe and fast, because they run on every failed attempt.
 * Replace {@link DefaultErrorClassifier} to recognise the exceptions of another client library,
 * usually by delegating to it for everything else.
 */
@FunctionalInterface
public interface ErrorClassifier {

    /**
     * Classifies one failed attempt.
     * @param failure what the attempt threw
     * @param config the settings in effect for the endpoint, with its retryable status codes and errors
     * @return the category, never null
     */
    ErrorCategory classify(Throwable failure, RetryConfig config);

    /**
     * Returns the HTTP status that the failure carries, if any, without its body. Log messages use it to
     * describe an HTTP failure without the body that a client library's exception message may contain.
     * The default finds none.
     * @param failure what the attempt threw
     */
    default Optional<HttpStatusException> findHttpStatus(Throwable failure) {
        return Optional.empty();
    }

    /**
     * Returns the raw Retry-After value that the failure carries, if any. The default carries none.
     * @param failure what the attempt threw
     */
    default Optional<String> findRetryAfter(Throwable failure) {
        return Optional.empty();
    }

    /**
     * Returns whether the failure shows that the service cannot have processed the request, which makes it
     * safe to retry a request that is not idempotent. The default returns false.
     * @param failure what the attempt threw
     */
    default boolean isRequestNotProcessed(Throwable failure) {
        return false;
    }
}
