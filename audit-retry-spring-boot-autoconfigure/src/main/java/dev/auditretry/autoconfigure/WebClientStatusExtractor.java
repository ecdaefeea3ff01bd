package dev.auditretry.autoconfigure;

import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.classify.HttpStatusExtractor;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Reads the status, reason phrase, body and Retry-After header of the error responses of {@code WebClient}, so
 * that a blocking call through WebClient is classified by its status code and a Retry-After sets the next wait.
 */
public class WebClientStatusExtractor implements HttpStatusExtractor {

    @Override
    public Optional<HttpStatusException> extract(Throwable failure) {
        if (!(failure instanceof WebClientResponseException response)) {
            return Optional.empty();
        }
        String retryAfter = response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        return Optional.of(new HttpStatusException(response.getStatusCode().value(), response.getStatusText(),
                response.getResponseBodyAsString(), null, retryAfter, response));
    }
}
