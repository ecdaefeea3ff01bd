package dev.auditretry.core.classify;

import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Classifies failures by HTTP status code and by network error, looking through the whole cause chain.
 * <p>
 * For each exception of the chain, outermost first, the first rule that applies decides:
 * <ol>
 * <li>{@link CircuitBreakerOpenException}: {@link ErrorCategory#CIRCUIT_OPEN}, never retried.</li>
 * <li>{@link InterruptedException}, {@link ClosedByInterruptException} or {@link CancellationException}:
 * {@link ErrorCategory#CANCELLED}.</li>
 * <li>An HTTP error status (400 or above), from {@link HttpStatusException} or an {@link HttpStatusExtractor}:
 * {@code TRANSIENT} when the status is in retryableStatusCodes, {@code CLIENT_ERROR} for other 4xx,
 * {@code PERMANENT} otherwise. A lower status, as on a failure to read a response body, is passed over.</li>
 * <li>An exception whose class, or a superclass, is named in retryableErrors: {@code TRANSIENT}.</li>
 * <li>A {@link NetworkError}: {@code TRANSIENT} when its code is in retryableErrors, {@code PERMANENT} otherwise.</li>
 * <li>Any other {@link InterruptedIOException}: {@code CANCELLED}.</li>
 * </ol>
 * A failure that no rule matches is {@link ErrorCategory#PERMANENT}.
 * <p>
 * A request is known not to have been processed when the chain contains a {@link ConnectException} (refused or
 * timed out while connecting), an {@link HttpConnectTimeoutException}, an {@link UnknownHostException}, or HTTP
 * status 429 or 503.
 */
public class DefaultErrorClassifier implements ErrorClassifier {

    private final List<HttpStatusExtractor> extractors;

    /** Creates a classifier that recognises {@link HttpStatusException} as the only HTTP error type. */
    public DefaultErrorClassifier() {
        this(List.of());
    }

    /**
     * Creates a classifier that also recognises the HTTP error types of client libraries.
     * @param extractors consulted in order for every exception of a failure's cause chain
     */
    public DefaultErrorClassifier(List<? extends HttpStatusExtractor> extractors) {
        List<HttpStatusExtractor> all = new ArrayList<>(extractors.size() + 1);
        all.add(DefaultErrorClassifier::asHttpStatusException);
        all.addAll(extractors);
        this.extractors = List.copyOf(all);
    }

    @Override
    public ErrorCategory classify(Throwable failure, RetryConfig config) {
        for (Throwable current : CauseChain.of(failure)) {
            ErrorCategory category = classifyOne(current, config);
            if (category != null) {
                return category;
            }
        }
        return ErrorCategory.PERMANENT;
    }

    /**
     * Returns the first HTTP status found in the failure's cause chain.
     * @param failure the failure to inspect
     */
    @Override
    public Optional<HttpStatusException> findHttpStatus(Throwable failure) {
        for (Throwable current : CauseChain.of(failure)) {
            Optional<HttpStatusException> status = extractStatus(current);
            if (status.isPresent()) {
                return status;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> findRetryAfter(Throwable failure) {
        return findHttpStatus(failure).flatMap(HttpStatusException::getRetryAfter);
    }

    @Override
    public boolean isRequestNotProcessed(Throwable failure) {
        for (Throwable current : CauseChain.of(failure)) {
            if (current instanceof ConnectException || current instanceof HttpConnectTimeoutException
                    || current instanceof UnknownHostException) {
                return true;
            }
            Optional<HttpStatusException> status = extractStatus(current);
            if (status.isPresent()) {
                int code = status.get().getStatus();
                return code == 429 || code == 503;
            }
        }
        return false;
    }

    private ErrorCategory classifyOne(Throwable failure, RetryConfig config) {
        if (failure instanceof CircuitBreakerOpenException) {
            return ErrorCategory.CIRCUIT_OPEN;
        }
        if (failure instanceof InterruptedException || failure instanceof ClosedByInterruptException
                || failure instanceof CancellationException) {
            return ErrorCategory.CANCELLED;
        }

        Optional<HttpStatusException> status = extractStatus(failure);
        if (status.isPresent()) {
            return classifyStatus(status.get().getStatus(), config);
        }

        if (isNamedRetryableClass(failure.getClass(), config)) {
            return ErrorCategory.TRANSIENT;
        }

        Optional<NetworkError> networkError = NetworkError.of(failure);
        if (networkError.isPresent()) {
            return config.isRetryable(networkError.get()) ? ErrorCategory.TRANSIENT : ErrorCategory.PERMANENT;
        }

        return (failure instanceof InterruptedIOException) ? ErrorCategory.CANCELLED : null;
    }

    // Only error statuses count. WebClient reports a failure to read the body of a 200 response as a response
    // exception with status 200, and the real failure, such as a reset connection, is its cause.
    private Optional<HttpStatusException> extractStatus(Throwable failure) {
        for (HttpStatusExtractor extractor : this.extractors) {
            Optional<HttpStatusException> status = extractor.extract(failure);
            if (status.isPresent() && status.get().getStatus() >= 400) {
                return status;
            }
        }
        return Optional.empty();
    }

    private static ErrorCategory classifyStatus(int status, RetryConfig config) {
        if (config.retryableStatusCodes().contains(status)) {
            return ErrorCategory.TRANSIENT;
        }
        return (status >= 400 && status < 500) ? ErrorCategory.CLIENT_ERROR : ErrorCategory.PERMANENT;
    }

    private static boolean isNamedRetryableClass(Class<?> type, RetryConfig config) {
        // Class names contain a dot and error codes do not, so one set can hold both.
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            if (config.retryableErrors().contains(current.getName())) {
                return true;
            }
        }
        return false;
    }

    private static Optional<HttpStatusException> asHttpStatusException(Throwable failure) {
        return (failure instanceof HttpStatusException http) ? Optional.of(http) : Optional.empty();
    }
}
