package dev.auditretry.autoconfigure.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.auditretry.core.RetryBudgetConfig;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerState;
import dev.auditretry.core.circuit.CircuitBreakerStats;
import dev.auditretry.core.circuit.ClientErrorHandling;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code circuitbreakers} actuator endpoint: lists every circuit of the {@link RetryManager} with its state,
 * counts and effective settings, and resets one circuit or all of them.
 * <p>
 * A circuit is selected by its key, {@code endpoint:METHOD}, passed as the remaining path segments. Over HTTP
 * the segments are joined with {@code /}; empty segments are dropped by Spring Boot, so a leading {@code /} of
 * the key cannot travel in the path and is implied: {@code /actuator/circuitbreakers/ledger/entries:POST}
 * selects the circuit {@code /ledger/entries:POST} unless a circuit {@code ledger/entries:POST} exists. A key
 * without a method means its GET circuit, as in {@link RetryManager#getCircuitBreakerStats(String)}.
 * <p>
 * Only circuits whose circuit breaker is enabled are listed or selected by key, because a disabled one has no
 * state. Resetting all circuits resets and counts the disabled ones too. Durations are reported in milliseconds, in fields whose names end in {@code Millis}, and instants as
 * ISO-8601 strings; a field that does not apply, such as {@code nextRetryTime} of a closed circuit, is absent.
 */
@Endpoint(id = "circuitbreakers")
public class CircuitBreakersEndpoint {

    private final RetryManager retryManager;

    public CircuitBreakersEndpoint(RetryManager retryManager) {
        this.retryManager = Objects.requireNonNull(retryManager, "retryManager must not be null");
    }

    /** Returns every circuit whose circuit breaker is enabled, by key in sorted order. */
    @ReadOperation
    public CircuitBreakersDescriptor circuitBreakers() {
        List<CircuitBreakerDescriptor> circuits = new ArrayList<>();
        for (CircuitBreakerStats stats : this.retryManager.getCircuitBreakerStats().values()) {
            circuits.add(describe(stats));
        }
        return new CircuitBreakersDescriptor(circuits);
    }

    /**
     * Returns one circuit.
     * @param key the circuit key as path segments, joined with {@code /}
     * @return the circuit, or null when no circuit with an enabled circuit breaker has this key
     * @throws InvalidEndpointRequestException if the key is missing or blank
     */
    @ReadOperation
    public CircuitBreakerDescriptor circuitBreaker(@Selector(match = Match.ALL_REMAINING) String[] key) {
        return findCircuit(joinKey(key)).map(this::describe).orElse(null);
    }

    /**
     * Resets every circuit to CLOSED with zero counts and no pending recovery timer.
     * @return how many circuits were reset
     */
    @WriteOperation
    public CircuitBreakersResetDescriptor resetCircuitBreakers() {
        return new CircuitBreakersResetDescriptor(this.retryManager.resetAllCircuitBreakers());
    }

    /**
     * Resets one circuit to CLOSED with zero counts and no pending recovery timer. Never creates a circuit.
     * @param key the circuit key as path segments, joined with {@code /}
     * @return the circuit after the reset, or null when no circuit with an enabled circuit breaker has this key
     * @throws InvalidEndpointRequestException if the key is missing or blank
     */
    @WriteOperation
    public CircuitBreakerDescriptor resetCircuitBreaker(@Selector(match = Match.ALL_REMAINING) String[] key) {
        Optional<CircuitBreakerStats> found = findCircuit(joinKey(key));
        if (found.isEmpty()) {
            return null;
        }

        String circuitKey = found.get().key();
        if (!this.retryManager.resetCircuitBreaker(circuitKey)) {
            return null;
        }

        return this.retryManager.getCircuitBreakerStats(circuitKey).map(this::describe).orElse(null);
    }

    /**
     * Joins the selector's path segments into the requested key.
     * @throws InvalidEndpointRequestException if there are no segments or they join to a blank key
     */
    // NOTE: over JMX, Spring converts a key passed as one string to String[] by splitting it at commas, so a key
    // that contains a comma must be passed as a one-element array.
    static String joinKey(String[] segments) {
        if (segments == null || segments.length == 0) {
            throw new InvalidEndpointRequestException("The circuit key is missing",
                    "The circuit key is missing. Append it to the endpoint path, for example"
                            + " circuitbreakers/ledger/entries:POST for the circuit /ledger/entries:POST.");
        }

        String key = String.join("/", segments);
        if (key.isBlank()) {
            throw new InvalidEndpointRequestException("The circuit key is blank",
                    "The circuit key must not be blank. Use a key from the circuit list, such as"
                            + " /ledger/entries:POST.");
        }
        return key;
    }

    // The exact key wins. A key without a leading slash also finds the circuit whose key has one, because the
    // HTTP path cannot carry that slash.
    private Optional<CircuitBreakerStats> findCircuit(String key) {
        Optional<CircuitBreakerStats> exact = this.retryManager.getCircuitBreakerStats(key);
        if (exact.isPresent() || key.startsWith("/")) {
            return exact;
        }
        return this.retryManager.getCircuitBreakerStats("/" + key);
    }

    private CircuitBreakerDescriptor describe(CircuitBreakerStats stats) {
        return new CircuitBreakerDescriptor(stats.key(), stats.state(), stats.failureCount(), stats.successCount(),
                stats.totalRequests(), stats.lastFailureTime().map(Instant::toString).orElse(null),
                stats.nextRetryTime().map(Instant::toString).orElse(null), effectiveSettings(stats.key()));
    }

    private SettingsDescriptor effectiveSettings(String circuitKey) {
        Optional<RetryContext> context = contextOf(circuitKey);
        if (context.isEmpty()) {
            return null;
        }

        RetryConfig retry = this.retryManager.getEffectiveConfig(context.get());
        CircuitBreakerConfig circuitBreaker = this.retryManager.getEffectiveCircuitBreakerConfig(context.get());
        int maxCircuits = this.retryManager.getCircuitBreakerConfig().maxCircuits();
        return new SettingsDescriptor(RetrySettingsDescriptor.of(retry),
                CircuitBreakerSettingsDescriptor.of(circuitBreaker, maxCircuits));
    }

    // Keys come from RetryContext.circuitKey, endpoint + ":" + METHOD, and a method never contains a colon.
    private static Optional<RetryContext> contextOf(String circuitKey) {
        int separator = circuitKey.lastIndexOf(':');
        if (separator < 1 || separator == circuitKey.length() - 1) {
            return Optional.empty();
        }

        String endpoint = circuitKey.substring(0, separator);
        String method = circuitKey.substring(separator + 1);
        if (endpoint.isBlank() || method.isBlank()) {
            return Optional.empty();
        }

        RetryContext context = RetryContext.of(endpoint, method);
        return context.getCircuitKey().equals(circuitKey) ? Optional.of(context) : Optional.empty();
    }

    /**
     * The circuits of a {@link RetryManager}.
     *
     * @param circuitBreakers every circuit whose circuit breaker is enabled, by key in sorted order
     */
    public record CircuitBreakersDescriptor(List<CircuitBreakerDescriptor> circuitBreakers)
            implements OperationResponseBody {

        public CircuitBreakersDescriptor {
            circuitBreakers = List.copyOf(circuitBreakers);
        }
    }

    /**
     * One circuit. The counts are those inside the current monitoring window.
     *
     * @param key the circuit key, {@code endpoint:METHOD}
     * @param state the state; an OPEN circuit whose recovery timeout has passed stays OPEN until a call becomes
     *        its trial call
     * @param failureCount failures recorded inside the monitoring window
     * @param successCount successes recorded inside the monitoring window
     * @param totalRequests recorded outcomes inside the monitoring window, failureCount + successCount
     * @param lastFailureTime ISO-8601 instant of the last failure since the circuit was created or reset, or null
     *        when there was none
     * @param nextRetryTime ISO-8601 instant when the circuit admits its next trial call, or null when a call
     *        would be admitted now
     * @param settings the settings the circuit's calls use, endpoint overrides applied, or null when the key
     *        does not have the form {@code endpoint:METHOD}
     */
    @JsonInclude(Include.NON_NULL)
    public record CircuitBreakerDescriptor(String key, CircuitBreakerState state, long failureCount,
            long successCount, long totalRequests, String lastFailureTime, String nextRetryTime,
            SettingsDescriptor settings) implements OperationResponseBody {
    }

    /**
     * The effective settings of one circuit's calls.
     *
     * @param retry the retry settings
     * @param circuitBreaker the circuit breaker settings
     */
    public record SettingsDescriptor(RetrySettingsDescriptor retry, CircuitBreakerSettingsDescriptor circuitBreaker) {
    }

    /**
     * Retry settings, with durations in milliseconds.
     *
     * @param enabled whether failed attempts are retried
     * @param maxAttempts total attempts per call, the first included
     * @param initialDelayMillis base wait before the first retry
     * @param maxDelayMillis upper bound of every wait
     * @param backoffMultiplier growth of the base wait per failed attempt
     * @param jitter how each base wait is randomized
     * @param retryableStatusCodes HTTP status codes that are retried, in ascending order
     * @param retryableErrors network error codes and exception class names that are retried, in sorted order
     * @param maxRetryAfterMillis longest Retry-After that is honoured; a longer one ends the call
     * @param maxElapsedMillis deadline of a call, waits included, or null (absent) for none
     * @param retryBudget the share of first attempts that retries may add, per circuit
     * @param nonIdempotentMethods HTTP methods retried only after failures that show the request was not processed,
     *        in sorted order
     * @param idempotent whether the endpoint is exempt from the rule of nonIdempotentMethods
     */
    @JsonInclude(Include.NON_NULL)
    public record RetrySettingsDescriptor(boolean enabled, int maxAttempts, long initialDelayMillis,
            long maxDelayMillis, double backoffMultiplier, Jitter jitter, List<Integer> retryableStatusCodes,
            List<String> retryableErrors, long maxRetryAfterMillis, Long maxElapsedMillis,
            RetryBudgetDescriptor retryBudget, List<String> nonIdempotentMethods, boolean idempotent) {

        static RetrySettingsDescriptor of(RetryConfig config) {
            Long maxElapsedMillis = (config.maxElapsed() != null) ? config.maxElapsed().toMillis() : null;
            return new RetrySettingsDescriptor(config.enabled(), config.maxAttempts(),
                    config.initialDelay().toMillis(), config.maxDelay().toMillis(), config.backoffMultiplier(),
                    config.jitter(), config.retryableStatusCodes().stream().sorted().toList(),
                    config.retryableErrors().stream().sorted().toList(), config.maxRetryAfter().toMillis(),
                    maxElapsedMillis, RetryBudgetDescriptor.of(config.retryBudget()),
                    config.nonIdempotentMethods().stream().sorted().toList(), config.idempotent());
        }
    }

    /**
     * Retry budget settings, with the window in milliseconds.
     *
     * @param enabled whether the budget applies
     * @param percent retries allowed per 100 first attempts in the window
     * @param windowMillis how far back first attempts and retries count
     * @param minRetriesPerSecond retries allowed per second of the window whatever the traffic
     */
    public record RetryBudgetDescriptor(boolean enabled, double percent, long windowMillis,
            double minRetriesPerSecond) {

        static RetryBudgetDescriptor of(RetryBudgetConfig config) {
            return new RetryBudgetDescriptor(config.enabled(), config.percent(), config.window().toMillis(),
                    config.minRetriesPerSecond());
        }
    }

    /**
     * Circuit breaker settings, with durations in milliseconds.
     *
     * @param enabled whether calls pass through the circuit
     * @param failureThreshold failures inside the monitoring window that open the circuit
     * @param recoveryTimeoutMillis how long an open circuit rejects calls before it admits a trial call
     * @param monitoringWindowMillis how far back outcomes count
     * @param minimumRequestThreshold requests inside the window needed before the circuit can open
     * @param halfOpenMaxCalls concurrent trial calls admitted while half-open
     * @param clientErrors how client errors count
     * @param failureRateThreshold percent of failures among the window's requests that opens the circuit; 0 when
     *        failureThreshold applies instead
     * @param recoveryBackoffMultiplier growth of the open time after each failed trial call in a row
     * @param maxRecoveryTimeoutMillis longest open time that recovery backoff can reach, or null (absent) for ten
     *        times recoveryTimeoutMillis
     * @param maxCircuits circuits kept by the manager before the least recently used CLOSED ones are removed, from
     *        the global settings because only they apply
     */
    @JsonInclude(Include.NON_NULL)
    public record CircuitBreakerSettingsDescriptor(boolean enabled, int failureThreshold, long recoveryTimeoutMillis,
            long monitoringWindowMillis, int minimumRequestThreshold, int halfOpenMaxCalls,
            ClientErrorHandling clientErrors, double failureRateThreshold, double recoveryBackoffMultiplier,
            Long maxRecoveryTimeoutMillis, int maxCircuits) {

        static CircuitBreakerSettingsDescriptor of(CircuitBreakerConfig config, int maxCircuits) {
            Long maxRecoveryTimeoutMillis = (config.maxRecoveryTimeout() != null)
                    ? config.maxRecoveryTimeout().toMillis() : null;
            return new CircuitBreakerSettingsDescriptor(config.enabled(), config.failureThreshold(),
                    config.recoveryTimeout().toMillis(), config.monitoringWindow().toMillis(),
                    config.minimumRequestThreshold(), config.halfOpenMaxCalls(), config.clientErrors(),
                    config.failureRateThreshold(), config.recoveryBackoffMultiplier(), maxRecoveryTimeoutMillis,
                    maxCircuits);
        }
    }

    /**
     * The result of resetting every circuit.
     *
     * @param resetCount how many circuits were reset
     */
    public record CircuitBreakersResetDescriptor(int resetCount) implements OperationResponseBody {
    }
}
