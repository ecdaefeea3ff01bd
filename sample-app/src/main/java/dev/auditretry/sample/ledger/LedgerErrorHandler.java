package dev.auditretry.sample.ledger;

import dev.auditretry.core.RetryExhaustedException;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.classify.NetworkError;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Turns the failures of ledger calls, through RestClient or WebClient, into RFC 9457 problem responses: 503 with Retry-After when a circuit rejects
 * the call, the downstream's own status for a 4xx, and 502 Bad Gateway for a 5xx or a network failure.
 */
@RestControllerAdvice(assignableTypes = LedgerController.class)
public class LedgerErrorHandler {

    private final RetryManager retryManager;

    public LedgerErrorHandler(RetryManager retryManager) {
        this.retryManager = retryManager;
    }

    @ExceptionHandler(CircuitBreakerOpenException.class)
    ResponseEntity<ProblemDetail> handleCircuitOpen(CircuitBreakerOpenException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        problem.setTitle("Circuit open");
        problem.setProperty("circuit", ex.getCircuitKey());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
        if (ex.getNextRetryTime().isPresent()) {
            Instant nextRetryTime = ex.getNextRetryTime().get();
            problem.setProperty("nextRetryTime", nextRetryTime.toString());
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(secondsUntil(nextRetryTime)));
        }
        return response.body(problem);
    }

    @ExceptionHandler(RetryExhaustedException.class)
    ProblemDetail handleRetriesExhausted(RetryExhaustedException ex) {
        ProblemDetail problem = describeDownstreamFailure(ex.getCause());
        problem.setProperty("attempts", ex.getAttempts());
        return problem;
    }

    @ExceptionHandler({ RestClientException.class, WebClientException.class })
    ProblemDetail handleDownstreamFailure(RuntimeException ex) {
        return describeDownstreamFailure(ex);
    }

    private static ProblemDetail describeDownstreamFailure(Throwable failure) {
        if (failure instanceof RestClientResponseException response) {
            return describeErrorResponse(response.getStatusCode(), response.getStatusText());
        }
        // WebClient also reports a failure to read the body of a 200 response this way; that is a network failure.
        if (failure instanceof WebClientResponseException response && response.getStatusCode().isError()) {
            return describeErrorResponse(response.getStatusCode(), response.getStatusText());
        }

        Optional<NetworkError> networkError = NetworkError.findInCauseChain(failure);
        String reason = networkError.map(Enum::name).orElse(failure.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "The ledger service could not be reached: " + reason);
        problem.setTitle("Ledger service unreachable");
        networkError.ifPresent((error) -> problem.setProperty("networkError", error.name()));
        return problem;
    }

    private static ProblemDetail describeErrorResponse(HttpStatusCode downstreamStatus, String statusText) {
        boolean clientError = downstreamStatus.is4xxClientError();
        HttpStatus status = clientError ? HttpStatus.valueOf(downstreamStatus.value()) : HttpStatus.BAD_GATEWAY;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                "The ledger service answered " + downstreamStatus.value() + " " + statusText);
        problem.setTitle(clientError ? "Ledger service rejected the request" : "Ledger service failed");
        problem.setProperty("downstreamStatus", downstreamStatus.value());
        return problem;
    }

    private long secondsUntil(Instant time) {
        Duration remaining = Duration.between(this.retryManager.getClock().instant(), time);
        long seconds = (remaining.toMillis() + 999) / 1000;
        return Math.max(1, seconds);
    }
}
