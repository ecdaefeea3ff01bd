package dev.auditretry.autoconfigure.metrics;

import dev.auditretry.core.CallOutcome;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryListener;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.RetryStop;
import dev.auditretry.core.circuit.CircuitBreakerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Publishes the calls, retries and circuits of a {@link RetryManager} as Micrometer meters. Every meter is named
 * under {@code audit.retry} and tagged {@code endpoint} with its circuit key, the only tag that grows with the
 * number of circuits:
 * <ul>
 * <li>{@code audit.retry.calls} (counter, tag {@code outcome}: {@code success_without_retry},
 * {@code success_after_retry}, {@code failed_without_retry}, {@code failed_after_retry} or {@code rejected}, the
 * last counting calls that a circuit rejected, before their first attempt or between retries)</li>
 * <li>{@code audit.retry.call.attempts} (distribution summary of attempts per call, 0 when the circuit rejected
 * the first)</li>
 * <li>{@code audit.retry.delay} (timer of the wait chosen before each retry)</li>
 * <li>{@code audit.retry.retries.stopped} (counter of retryable failures that were not retried, tag {@code reason}:
 * {@code max_attempts}, {@code max_elapsed}, {@code retry_budget}, {@code retry_after_too_long} or
 * {@code not_idempotent}, the {@link RetryStop} that ended the call)</li>
 * <li>{@code audit.retry.circuit.state} (gauge, tag {@code state}: {@code closed}, {@code open} or
 * {@code half_open}; 1 for the current state and 0 for the others, NaN while the circuit breaker is
 * disabled)</li>
 * <li>{@code audit.retry.circuit.transitions} (counter, tags {@code from} and {@code to}; a reset of a closed
 * circuit counts as closed to closed)</li>
 * </ul>
 * Meters of a circuit are registered when the circuit is created, or when binding for circuits that existed
 * before, and removed when the circuit is removed, by {@link RetryManager#removeCircuitBreaker} or because more
 * than max-circuits circuits exist.
 * <p>
 * Binding adds a listener to the manager; this binder must not be a {@link RetryListener} bean itself, which
 * would count every event twice. {@link #close()} removes the listeners.
 */
public class AuditRetryMetrics implements MeterBinder, AutoCloseable {

    static final String CALLS = "audit.retry.calls";

    static final String CALL_ATTEMPTS = "audit.retry.call.attempts";

    static final String DELAY = "audit.retry.delay";

    static final String RETRIES_STOPPED = "audit.retry.retries.stopped";

    static final String CIRCUIT_STATE = "audit.retry.circuit.state";

    static final String CIRCUIT_TRANSITIONS = "audit.retry.circuit.transitions";

    static final String ENDPOINT_TAG = "endpoint";

    private static final String METER_PREFIX = "audit.retry.";

    private final RetryManager retryManager;

    private final List<RegistryBinding> bindings = new CopyOnWriteArrayList<>();

    public AuditRetryMetrics(RetryManager retryManager) {
        this.retryManager = Objects.requireNonNull(retryManager, "retryManager must not be null");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        RegistryBinding binding = new RegistryBinding(registry);
        this.bindings.add(binding);

        // The listener comes first so that no circuit created meanwhile is missed; registering one twice is harmless.
        this.retryManager.addListener(binding);
        for (String circuitKey : this.retryManager.getCircuitKeys()) {
            binding.metersOf(circuitKey);
        }
    }

    /** Stops recording: removes the listeners that binding added to the manager. Meters stay registered. */
    @Override
    public void close() {
        for (RegistryBinding binding : this.bindings) {
            this.retryManager.removeListener(binding);
        }
        this.bindings.clear();
    }

    private static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The meters of one registry, kept up to date by the manager's events.
     */
    private final class RegistryBinding implements RetryListener {

        private final MeterRegistry registry;

        private final Map<String, CircuitMeters> circuits = new ConcurrentHashMap<>();

        RegistryBinding(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry must not be null");
        }

        @Override
        public void onRetryScheduled(RetryContext context, int failedAttempt, Duration delay, Throwable cause) {
            metersOf(context.getCircuitKey()).delay.record(delay);
        }

        @Override
        public void onRetryStopped(RetryContext context, RetryStop reason, int attempts, Throwable failure) {
            metersOf(context.getCircuitKey()).retriesStopped.get(reason).increment();
        }

        @Override
        public void onCallFinished(RetryContext context, CallOutcome outcome, int attempts, Duration elapsed,
                Throwable error) {
            CircuitMeters meters = metersOf(context.getCircuitKey());
            meters.calls.get(outcome).increment();
            meters.attempts.record(attempts);
        }

        @Override
        public void onCircuitStateChange(String circuitKey, CircuitBreakerState from, CircuitBreakerState to) {
            metersOf(circuitKey);
            Counter.builder(CIRCUIT_TRANSITIONS)
                    .description("Transitions of a circuit from one state to another, resets included")
                    .baseUnit("transitions")
                    .tag(ENDPOINT_TAG, circuitKey)
                    .tag("from", tagValue(from))
                    .tag("to", tagValue(to))
                    .register(this.registry)
                    .increment();
        }

        @Override
        public void onCircuitCreated(String circuitKey) {
            metersOf(circuitKey);
        }

        // NOTE: a call still running on a removed circuit re-registers that key's counters when it ends; they
        // stay until the key's next circuit is removed.
        @Override
        public void onCircuitRemoved(String circuitKey) {
            this.circuits.remove(circuitKey);

            List<Meter> stale = new ArrayList<>();
            for (Meter meter : Search.in(this.registry).tag(ENDPOINT_TAG, circuitKey).meters()) {
                if (meter.getId().getName().startsWith(METER_PREFIX)) {
                    stale.add(meter);
                }
            }
            stale.forEach(this.registry::remove);
        }

        CircuitMeters metersOf(String circuitKey) {
            return this.circuits.computeIfAbsent(circuitKey, (key) -> new CircuitMeters(this.registry, key));
        }
    }

    /**
     * The meters of one circuit in one registry, registered up front so that every series starts at zero.
     */
    private final class CircuitMeters {

        private final Map<CallOutcome, Counter> calls = new EnumMap<>(CallOutcome.class);

        private final DistributionSummary attempts;

        private final Timer delay;

        private final Map<RetryStop, Counter> retriesStopped = new EnumMap<>(RetryStop.class);

        CircuitMeters(MeterRegistry registry, String circuitKey) {
            for (CallOutcome outcome : CallOutcome.values()) {
                this.calls.put(outcome, Counter.builder(CALLS)
                        .description("Calls through the retry manager, by how they ended")
                        .baseUnit("calls")
                        .tag(ENDPOINT_TAG, circuitKey)
                        .tag("outcome", tagValue(outcome))
                        .register(registry));
            }
            this.attempts = DistributionSummary.builder(CALL_ATTEMPTS)
                    .description("Attempts per call, the first included; 0 when the circuit rejected the first")
                    .baseUnit("attempts")
                    .tag(ENDPOINT_TAG, circuitKey)
                    .register(registry);
            this.delay = Timer.builder(DELAY)
                    .description("Wait chosen before each retry")
                    .tag(ENDPOINT_TAG, circuitKey)
                    .register(registry);
            for (RetryStop reason : RetryStop.values()) {
                this.retriesStopped.put(reason, Counter.builder(RETRIES_STOPPED)
                        .description("Retryable failures that were not retried, by the rule that stopped the retry")
                        .baseUnit("failures")
                        .tag(ENDPOINT_TAG, circuitKey)
                        .tag("reason", tagValue(reason))
                        .register(registry));
            }
            for (CircuitBreakerState state : CircuitBreakerState.values()) {
                Gauge.builder(CIRCUIT_STATE, AuditRetryMetrics.this.retryManager,
                                (manager) -> stateValue(manager, circuitKey, state))
                        .description("Circuit state: 1 for the current state, 0 for the others")
                        .tag(ENDPOINT_TAG, circuitKey)
                        .tag("state", tagValue(state))
                        .strongReference(true)
                        .register(registry);
            }
        }

        // Read from the circuit at scrape time, because transition events of different threads may arrive out of order.
        private static double stateValue(RetryManager manager, String circuitKey, CircuitBreakerState state) {
            return manager.getCircuitBreakerStats(circuitKey)
                    .map((stats) -> (stats.state() == state) ? 1.0 : 0.0)
                    .orElse(Double.NaN);
        }
    }
}
