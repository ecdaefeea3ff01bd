package dev.auditretry.autoconfigure;

import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.classify.HttpStatusExtractor;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClientResponseException;

/**
 * Reads the status, reason phrase, body and Retry-After header of the error responses of {@code RestClient} and
 * {@code RestTemplate}, so that they are classified by their status code and a Retry-After sets the next wait.
 */
public class RestClientStatusExtractor implements HttpStatusExtractor {

    @Override
    public Optional<HttpStatusException> extract(Throwable failure) {
        if (!(failure instanceof RestClientResponseException response)) {
            return Optional.empty();
        }
        HttpHeaders headers = response.getResponseHeaders();
        String retryAfter = (headers != null) ? headers.getFirst(HttpHeaders.RETRY_AFTER) : null;
        return Optional.of(new HttpStatusException(response.getStatusCode().value(), response.getStatusText(),
                response.getResponseBodyAsString(), null, retryAfter, response));
    }
}
