package dev.auditretry.core.classify;

import dev.auditretry.core.HttpStatusException;
import java.util.Optional;

/**
 * Turns the HTTP error exception of a client library into an {@link HttpStatusException}, so that
 * {@link DefaultErrorClassifier} can classify it by status code and honour its Retry-After header.
 */
@FunctionalInterface
public interface HttpStatusExtractor {

    /**
     * Returns the status carried by this exception alone, without looking at its causes.
     * @param failure one exception of a failure's cause chain
     * @return the status, or empty when the exception is not an HTTP error response
     */
    Optional<HttpStatusException> extract(Throwable failure);
}
