package dev.auditretry.autoconfigure.actuate;

import java.util.Objects;
import java.util.function.Function;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * HTTP responses of the {@link CircuitBreakersEndpoint} operations that select one circuit: 404 with a message
 * for an unknown key, on reads and resets alike, and 400 with a message for a missing or blank key. Without
 * this extension a reset of an unknown key would return 204.
 */
@EndpointWebExtension(endpoint = CircuitBreakersEndpoint.class)
public class CircuitBreakersEndpointWebExtension {

    private static final String LOOKUP_RULES = "A key is looked up as given and with a leading '/' added, and a key"
            + " without ':METHOD' as the GET circuit of that endpoint.";

    private final CircuitBreakersEndpoint delegate;

    public CircuitBreakersEndpointWebExtension(CircuitBreakersEndpoint delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /**
     * Returns one circuit, or 404 when no circuit with an enabled circuit breaker has the key.
     * @param key the circuit key as path segments
     */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> circuitBreaker(
            @Selector(match = Match.ALL_REMAINING) String[] key) {
        return respond(key, this.delegate::circuitBreaker);
    }

    /**
     * Resets one circuit and returns it, or 404 without creating a circuit when no circuit with an enabled
     * circuit breaker has the key.
     * @param key the circuit key as path segments
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> resetCircuitBreaker(
            @Selector(match = Match.ALL_REMAINING) String[] key) {
        return respond(key, this.delegate::resetCircuitBreaker);
    }

    private static WebEndpointResponse<OperationResponseBody> respond(String[] key,
            Function<String[], CircuitBreakersEndpoint.CircuitBreakerDescriptor> operation) {
        CircuitBreakersEndpoint.CircuitBreakerDescriptor circuit;
        try {
            circuit = operation.apply(key);
        }
        catch (InvalidEndpointRequestException ex) {
            return new WebEndpointResponse<>(new ErrorDescriptor(ex.getReason()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }

        if (circuit == null) {
            String message = "No circuit matches '" + CircuitBreakersEndpoint.joinKey(key) + "'. " + LOOKUP_RULES
                    + " Read the circuitbreakers endpoint without a key to list the keys. A circuit exists only after"
                    + " its first call, and only if its circuit breaker is enabled.";
            return new WebEndpointResponse<>(new ErrorDescriptor(message), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(circuit, WebEndpointResponse.STATUS_OK);
    }

    /**
     * The body of a 400 or 404 response.
     *
     * @param message what was wrong with the request and what to send instead
     */
    public record ErrorDescriptor(String message) implements OperationResponseBody {
    }
}
