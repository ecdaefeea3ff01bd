package dev.auditretry.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of retries and circuits under {@code audit.retry}, mirroring the core {@code RetryConfig} and
 * {@code CircuitBreakerConfig}, with the same defaults.
 * <p>
 * Durations accept a unit ({@code 500ms}, {@code 2s}, {@code 1m}); a bare number means milliseconds. Every value
 * is checked at startup, and an invalid one stops the application with a message naming the property, the
 * rejected value, the allowed range and what to set instead. A property under {@code audit.retry} whose name no
 * setting has, such as a misspelled one, stops it too, with the known names closest to it.
 * <p>
 * Settings of one circuit go under {@code audit.retry.endpoints}, keyed by {@code endpoint:METHOD} or by a bare
 * endpoint for all its methods. The keys contain {@code /} and {@code :}, which Spring Boot drops from a key
 * unless it is in brackets: write {@code audit.retry.endpoints.[/ledger/entries:POST].max-attempts=5} in a
 * properties file, and quote the bracketed key in YAML:
 *
 * <pre>
 * audit:
 *   retry:
 *     endpoints:
 *       "[/ledger/entries:POST]":
 *         max-attempts: 5
 *         circuit-breaker:
 *           failure-threshold: 3
 * </pre>
 *
 * @param enabled Whether failed calls are retried. When false, every call makes exactly one attempt, still through
 *        its circuit, so circuits keep protecting the service.
 * @param maxAttempts Total attempts per call, the first call included, so 3 means up to 2 retries. At least 1,
 *        where 1 disables retrying.
 * @param initialDelay Wait before the first retry. Later waits grow by backoff-multiplier up to max-delay and are
 *        then randomized by jitter. Zero or positive; a bare number means milliseconds.
 * @param maxDelay Upper bound of every wait between attempts. Not shorter than initial-delay; a bare number means
 *        milliseconds.
 * @param backoffMultiplier Growth of the wait per failed attempt: the wait before retry n is initial-delay times
 *        backoff-multiplier to the power n-1, capped at max-delay. At least 1, where 1 keeps the wait constant.
 * @param jitter How each wait is randomized, so that clients that failed together do not retry together. full
 *        draws between zero and the wait, equal between half the wait and the wait, and decorrelated between
 *        initial-delay and three times the previous wait, ignoring backoff-multiplier. none keeps the wait.
 * @param retryableStatusCodes HTTP status codes that are retried, each from 100 to 599. Other 4xx codes count as
 *        client errors (see circuit-breaker.client-errors) and other 5xx codes as failures that are not retried.
 *        Setting the list replaces the defaults.
 * @param retryableErrors Network errors (ECONNRESET, ECONNREFUSED, ETIMEDOUT, ENOTFOUND, EPIPE) and fully
 *        qualified exception class names that are retried. A class also matches its subclasses, anywhere in the
 *        cause chain. Setting the list replaces the defaults.
 * @param maxRetryAfter Longest wait that a failure's Retry-After header (delta seconds or an HTTP date) may ask for.
 *        A shorter one sets the minimum wait before the next attempt, rounded up to whole seconds, never shortened by
 *        jitter and honoured even above max-delay. A longer one ends the call at once with that failure. Zero or
 *        positive, where 0 gives up on every failure that requests a wait; a bare number means milliseconds.
 * @param maxElapsed Deadline of a call, measured from its first attempt, waits included. No wait is begun that would
 *        end after it and no attempt starts after it; the call then fails with RetryExhaustedException, reason
 *        MAX_ELAPSED. Unset by default, for no deadline. At least 1ms; a bare number means milliseconds.
 * @param retryBudget Limit on retries per circuit as a share of its recent first attempts, so that retries cannot
 *        multiply the load on a failing service. Off by default.
 * @param nonIdempotentMethods HTTP methods whose requests are retried only after failures that show the request was
 *        not processed: a java.net.ConnectException such as a refused connection, an HttpConnectTimeoutException of
 *        the JDK HTTP client, an UnknownHostException, HTTP 429 or HTTP 503, anywhere in the cause chain. Other
 *        retryable failures of these methods are returned after the attempt that failed. An endpoint with
 *        idempotent=true is exempt. Setting the list replaces the defaults; an empty list retries every method
 *        alike.
 * @param idempotent Whether repeating any request is known to be safe, which lifts the rule of
 *        non-idempotent-methods: true or false. Usually set for one endpoint under audit.retry.endpoints, such as a
 *        POST that carries an idempotency key.
 * @param aspectOrder Order of the @AuditRetryable advice among other advice on the same bean; a lower value runs
 *        further outside. The default runs it outside @Transactional, which Spring Boot registers with the lowest
 *        precedence, so every attempt gets a fresh transaction.
 * @param circuitBreaker Settings of the circuit that each endpoint and HTTP method pass through.
 * @param endpoints Settings of single circuits, keyed by endpoint:METHOD or by a bare endpoint for all its
 *        methods; a full key wins. Only the settings given override, the others follow the global ones. Put the
 *        key in brackets, and in YAML quote it, as in "[/ledger/entries:POST]".
 */
@ConfigurationProperties("audit.retry")
public record AuditRetryProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("1s") Duration initialDelay,
        @DefaultValue("30s") Duration maxDelay,
        @DefaultValue("2.0") double backoffMultiplier,
        // jitter and client-errors bind as strings so that an unknown name fails with a message naming the property.
        @DefaultValue("full") String jitter,
        @DefaultValue({ "408", "429", "500", "502", "503", "504" }) Set<Integer> retryableStatusCodes,
        @DefaultValue({ "ECONNRESET", "ETIMEDOUT", "ENOTFOUND" }) Set<String> retryableErrors,
        @DefaultValue("30s") Duration maxRetryAfter,
        Duration maxElapsed,
        @DefaultValue RetryBudget retryBudget,
        @DefaultValue({ "POST", "PATCH" }) Set<String> nonIdempotentMethods,
        // idempotent and retry-budget.enabled bind as strings too, so that a value other than true or false fails
        // with a message naming the property and the allowed values.
        @DefaultValue("false") String idempotent,
        @DefaultValue(DEFAULT_ASPECT_ORDER) int aspectOrder,
        @DefaultValue CircuitBreaker circuitBreaker,
        Map<String, Endpoint> endpoints) {

    /** One less than the lowest precedence, so the advice runs outside {@code @Transactional}. */
    static final String DEFAULT_ASPECT_ORDER = "2147483646";

    public AuditRetryProperties {
        endpoints = (endpoints != null) ? Map.copyOf(endpoints) : Map.of();
    }

    /**
     * Retry budget under {@code audit.retry.retry-budget}. A retry is allowed while the retries of the last window
     * stay within percent of the first attempts of that window plus min-retries-per-second times the window in
     * seconds. When the budget is spent, a retryable failure is returned to the caller as it is.
     *
     * @param enabled Whether the retry budget applies: true or false. Off by default.
     * @param percent Retries allowed per 100 first attempts inside window, from 1 to 1000. 20 allows one retry per
     *        five first attempts.
     * @param window How far back first attempts and retries count towards the budget. At least 1s; a bare number
     *        means milliseconds.
     * @param minRetriesPerSecond Retries allowed per second of window whatever the traffic, so that a circuit with
     *        few calls can still retry them. Zero or more.
     */
    public record RetryBudget(
            @DefaultValue("false") String enabled,
            @DefaultValue("20") double percent,
            @DefaultValue("10s") Duration window,
            @DefaultValue("1") double minRetriesPerSecond) {
    }

    /**
     * Circuit settings under {@code audit.retry.circuit-breaker}.
     *
     * @param enabled Whether calls pass through a circuit at all. When false, there are no checks and no stats.
     * @param failureThreshold Failures inside monitoring-window that open the circuit, once
     *        minimum-request-threshold requests were seen there. At least 1.
     * @param recoveryTimeout How long an open circuit rejects calls before it admits a trial call; also when an
     *        unfinished trial call stops blocking others. At least 1ms; a bare number means milliseconds.
     * @param monitoringWindow How far back outcomes count towards failure-threshold; each outcome ages out on its
     *        own. At least 1ms; a bare number means milliseconds.
     * @param minimumRequestThreshold Requests inside monitoring-window needed before the circuit can open, so that
     *        a few early failures do not open it. At least 1.
     * @param halfOpenMaxCalls Concurrent trial calls admitted after recovery-timeout. Other calls are rejected
     *        until a trial call ends. At least 1.
     * @param clientErrors How client errors (4xx codes not listed in retryable-status-codes) count for the circuit:
     *        ignore (neither success nor failure), record-as-success or record-as-failure.
     * @param failureRateThreshold Percent of failures among the requests inside monitoring-window that opens the
     *        circuit, checked after every recorded outcome once minimum-request-threshold requests were seen there.
     *        When set, this rate rule replaces the count rule of failure-threshold. From 0 to 100, where 0 (the
     *        default) keeps the count rule.
     * @param recoveryBackoffMultiplier Growth of the open time after each failed trial call in a row: the circuit
     *        stays open for recovery-timeout times this multiplier to the power of the failed trials, up to
     *        max-recovery-timeout. A trial call that closes the circuit resets it. At least 1, where 1 keeps every
     *        open time at recovery-timeout.
     * @param maxRecoveryTimeout Longest open time that recovery-backoff-multiplier can reach. Not shorter than
     *        recovery-timeout; unset means ten times recovery-timeout. A bare number means milliseconds.
     * @param maxCircuits Circuits kept in memory, one per endpoint and HTTP method. Beyond it, the least recently
     *        used CLOSED circuits are removed with their meters; OPEN and HALF_OPEN circuits are always kept. At least
     *        1. Global only: it cannot be set under audit.retry.endpoints.
     */
    public record CircuitBreaker(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5") int failureThreshold,
            @DefaultValue("60s") Duration recoveryTimeout,
            @DefaultValue("5m") Duration monitoringWindow,
            @DefaultValue("10") int minimumRequestThreshold,
            @DefaultValue("1") int halfOpenMaxCalls,
            @DefaultValue("ignore") String clientErrors,
            @DefaultValue("0") double failureRateThreshold,
            @DefaultValue("1.0") double recoveryBackoffMultiplier,
            Duration maxRecoveryTimeout,
            @DefaultValue("1000") int maxCircuits) {
    }

    /**
     * Settings of one circuit under {@code audit.retry.endpoints.[key]}. Each one left out follows the global
     * setting of the same name, also after the global setting changes.
     *
     * @param enabled Overrides audit.retry.enabled for this circuit.
     * @param maxAttempts Overrides audit.retry.max-attempts: total attempts, the first call included. At least 1.
     * @param initialDelay Overrides audit.retry.initial-delay. Zero or positive.
     * @param maxDelay Overrides audit.retry.max-delay. Not shorter than the circuit's initial-delay.
     * @param backoffMultiplier Overrides audit.retry.backoff-multiplier. At least 1.
     * @param jitter Overrides audit.retry.jitter: none, full, equal or decorrelated.
     * @param retryableStatusCodes Replaces audit.retry.retryable-status-codes for this circuit.
     * @param retryableErrors Replaces audit.retry.retryable-errors for this circuit.
     * @param maxRetryAfter Overrides audit.retry.max-retry-after. Zero or positive.
     * @param maxElapsed Overrides audit.retry.max-elapsed, the deadline of a call. At least 1ms. A circuit cannot
     *        remove a global deadline, only set a longer or shorter one.
     * @param retryBudget Overrides settings of audit.retry.retry-budget for this circuit.
     * @param nonIdempotentMethods Replaces audit.retry.non-idempotent-methods for this circuit.
     * @param idempotent Overrides audit.retry.idempotent: true lifts the rule of non-idempotent-methods for this
     *        circuit.
     * @param circuitBreaker Overrides settings of audit.retry.circuit-breaker for this circuit.
     */
    public record Endpoint(
            Boolean enabled,
            Integer maxAttempts,
            Duration initialDelay,
            Duration maxDelay,
            Double backoffMultiplier,
            String jitter,
            Set<Integer> retryableStatusCodes,
            Set<String> retryableErrors,
            Duration maxRetryAfter,
            Duration maxElapsed,
            EndpointRetryBudget retryBudget,
            Set<String> nonIdempotentMethods,
            String idempotent,
            EndpointCircuitBreaker circuitBreaker) {
    }

    /**
     * Retry budget of one circuit under {@code audit.retry.endpoints.[key].retry-budget}. Each setting left out
     * follows audit.retry.retry-budget.
     *
     * @param enabled Overrides audit.retry.retry-budget.enabled: true or false.
     * @param percent Overrides audit.retry.retry-budget.percent. From 1 to 1000.
     * @param window Overrides audit.retry.retry-budget.window. At least 1s.
     * @param minRetriesPerSecond Overrides audit.retry.retry-budget.min-retries-per-second. Zero or more.
     */
    public record EndpointRetryBudget(
            String enabled,
            Double percent,
            Duration window,
            Double minRetriesPerSecond) {
    }

    /**
     * Circuit settings of one circuit under {@code audit.retry.endpoints.[key].circuit-breaker}. Each one left out
     * follows audit.retry.circuit-breaker.
     *
     * @param enabled Overrides audit.retry.circuit-breaker.enabled for this circuit.
     * @param failureThreshold Overrides audit.retry.circuit-breaker.failure-threshold. At least 1.
     * @param recoveryTimeout Overrides audit.retry.circuit-breaker.recovery-timeout. At least 1ms.
     * @param monitoringWindow Overrides audit.retry.circuit-breaker.monitoring-window. At least 1ms.
     * @param minimumRequestThreshold Overrides audit.retry.circuit-breaker.minimum-request-threshold. At least 1.
     * @param halfOpenMaxCalls Overrides audit.retry.circuit-breaker.half-open-max-calls. At least 1.
     * @param clientErrors Overrides audit.retry.circuit-breaker.client-errors: ignore, record-as-success or
     *        record-as-failure.
     * @param failureRateThreshold Overrides audit.retry.circuit-breaker.failure-rate-threshold. From 0 to 100, where 0
     *        keeps the count rule of failure-threshold.
     * @param recoveryBackoffMultiplier Overrides audit.retry.circuit-breaker.recovery-backoff-multiplier. At least 1.
     * @param maxRecoveryTimeout Overrides audit.retry.circuit-breaker.max-recovery-timeout. Not shorter than the
     *        circuit's recovery-timeout. A circuit cannot return to the default of ten times recovery-timeout once
     *        the global value is set, only set a cap of its own.
     * @param maxCircuits Not allowed here: the limit applies to all circuits together, so setting it for one circuit
     *        fails startup. Set audit.retry.circuit-breaker.max-circuits instead.
     */
    public record EndpointCircuitBreaker(
            Boolean enabled,
            Integer failureThreshold,
            Duration recoveryTimeout,
            Duration monitoringWindow,
            Integer minimumRequestThreshold,
            Integer halfOpenMaxCalls,
            String clientErrors,
            Double failureRateThreshold,
            Double recoveryBackoffMultiplier,
            Duration maxRecoveryTimeout,
            Integer maxCircuits) {
    }
}
