package dev.auditretry.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.auditretry.autoconfigure.actuate.ManualClock;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryBudgetConfig;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryExhaustedException;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.RetryStop;
import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuditRetryMetricsTests {

    private static final RetryContext ENTRIES = RetryContext.of("/ledger/entries", "POST");

    private static final String ENTRIES_KEY = "/ledger/entries:POST";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    // Waits of 100 ms, then 200 ms; 5 failures among at least 5 requests open the circuit for 10 s.
    private final RetryManager retryManager = RetryManager.builder()
            .retryConfig(RetryConfig.builder().maxAttempts(3).initialDelay(Duration.ofMillis(100))
                    .maxDelay(Duration.ofSeconds(1)).backoffMultiplier(2).jitter(Jitter.NONE).build())
            .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(5).minimumRequestThreshold(5)
                    .recoveryTimeout(Duration.ofSeconds(10)).build())
            .clock(this.clock)
            .sleeper(this.clock.sleeper())
            .build();

    private final AuditRetryMetrics metrics = new AuditRetryMetrics(this.retryManager);

    @AfterEach
    void closeMetrics() {
        this.metrics.close();
    }

    @Test
    void countsEveryOutcomeOfScriptedSequence() throws Exception {
        this.metrics.bindTo(this.registry);

        // A: succeeds at once. B: 503, then succeeds after a 100 ms wait. C: 400, not retried.
        succeed();
        failThenSucceed(1);
        failWith(400);
        // D: 503 three times, waits of 100 ms and 200 ms, gives up; 4 failures among 6 outcomes now.
        assertThatExceptionOfType(RetryExhaustedException.class).isThrownBy(() -> failThenSucceed(3));
        assertThat(stateGauge("open")).isEqualTo(0.0);
        // E: the 5th failure opens the circuit, so the call is rejected before its first retry.
        assertThatExceptionOfType(CircuitBreakerOpenException.class).isThrownBy(() -> failThenSucceed(1));
        assertThat(stateGauge("open")).isEqualTo(1.0);
        assertThat(stateGauge("closed")).isEqualTo(0.0);
        // F: rejected before its first attempt.
        assertThatExceptionOfType(CircuitBreakerOpenException.class).isThrownBy(this::succeed);
        // G: after the recovery timeout, a successful trial call closes the circuit.
        this.clock.advance(Duration.ofSeconds(10));
        succeed();

        assertThat(calls("success_without_retry")).isEqualTo(2.0);
        assertThat(calls("success_after_retry")).isEqualTo(1.0);
        assertThat(calls("failed_without_retry")).isEqualTo(1.0);
        assertThat(calls("failed_after_retry")).isEqualTo(1.0);
        assertThat(calls("rejected")).isEqualTo(2.0);

        DistributionSummary attempts = this.registry.get(AuditRetryMetrics.CALL_ATTEMPTS)
                .tag("endpoint", ENTRIES_KEY).summary();
        assertThat(attempts.count()).isEqualTo(7);
        assertThat(attempts.totalAmount()).isEqualTo(1 + 2 + 1 + 3 + 1 + 0 + 1);
        assertThat(attempts.max()).isEqualTo(3.0);

        Timer delay = this.registry.get(AuditRetryMetrics.DELAY).tag("endpoint", ENTRIES_KEY).timer();
        assertThat(delay.count()).isEqualTo(3);
        assertThat(delay.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(400.0);
        assertThat(delay.max(TimeUnit.MILLISECONDS)).isEqualTo(200.0);

        assertThat(transitions("closed", "open")).isEqualTo(1.0);
        assertThat(transitions("open", "half_open")).isEqualTo(1.0);
        assertThat(transitions("half_open", "closed")).isEqualTo(1.0);
        assertThat(this.registry.find(AuditRetryMetrics.CIRCUIT_TRANSITIONS).counters()).hasSize(3);

        assertThat(stateGauge("closed")).isEqualTo(1.0);
        assertThat(stateGauge("open")).isEqualTo(0.0);
        assertThat(stateGauge("half_open")).isEqualTo(0.0);
    }

    @Test
    void registersEveryMeterOfNewCircuitAtZero() throws Exception {
        this.metrics.bindTo(this.registry);

        succeed();

        assertThat(this.registry.find(AuditRetryMetrics.CALLS).tag("endpoint", ENTRIES_KEY).counters()).hasSize(5);
        assertThat(calls("rejected")).isZero();
        assertThat(this.registry.find(AuditRetryMetrics.DELAY).tag("endpoint", ENTRIES_KEY).timer().count()).isZero();
        assertThat(this.registry.find(AuditRetryMetrics.CIRCUIT_STATE).tag("endpoint", ENTRIES_KEY).gauges())
                .hasSize(3);
    }

    @Test
    void registersGaugesOfCircuitsCreatedBeforeBinding() throws Exception {
        succeed();
        this.retryManager.execute(RetryContext.of("/ledger/balance"), () -> "balance");

        this.metrics.bindTo(this.registry);

        assertThat(stateGauge("closed")).isEqualTo(1.0);
        assertThat(this.registry.get(AuditRetryMetrics.CIRCUIT_STATE).tag("endpoint", "/ledger/balance:GET")
                .tag("state", "closed").gauge().value()).isEqualTo(1.0);
        assertThat(calls("success_without_retry")).isZero();
    }

    @Test
    void removesEveryMeterOfRemovedCircuit() throws Exception {
        this.metrics.bindTo(this.registry);
        succeed();
        assertThatExceptionOfType(RetryExhaustedException.class).isThrownBy(() -> failThenSucceed(3));
        this.retryManager.resetCircuitBreaker(ENTRIES_KEY);
        this.retryManager.execute(RetryContext.of("/ledger/balance"), () -> "balance");
        assertThat(metersOf(ENTRIES_KEY)).isNotEmpty();

        boolean removed = this.retryManager.removeCircuitBreaker(ENTRIES_KEY);

        assertThat(removed).isTrue();
        assertThat(metersOf(ENTRIES_KEY)).isEmpty();
        assertThat(metersOf("/ledger/balance:GET")).isNotEmpty();
    }

    @Test
    void removesMetersFromCompositeChildren() throws Exception {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(this.registry);
        this.metrics.bindTo(composite);
        succeed();
        assertThat(metersOf(ENTRIES_KEY)).isNotEmpty();

        this.retryManager.removeCircuitBreaker(ENTRIES_KEY);

        assertThat(Search.in(composite).tag("endpoint", ENTRIES_KEY).meters()).isEmpty();
        assertThat(metersOf(ENTRIES_KEY)).isEmpty();
    }

    @Test
    void reregistersMetersOfRecreatedCircuit() throws Exception {
        this.metrics.bindTo(this.registry);
        succeed();
        this.retryManager.removeCircuitBreaker(ENTRIES_KEY);

        succeed();

        assertThat(calls("success_without_retry")).isEqualTo(1.0);
        assertThat(stateGauge("closed")).isEqualTo(1.0);
    }

    @Test
    void stopsRecordingWhenClosed() throws Exception {
        this.metrics.bindTo(this.registry);
        succeed();

        this.metrics.close();
        succeed();

        assertThat(calls("success_without_retry")).isEqualTo(1.0);
    }

    @Test
    void countsExactlyUnderConcurrentCalls() throws Exception {
        RetryManager manager = RetryManager.builder()
                .retryConfig(RetryConfig.builder().initialDelay(Duration.ofMillis(100)).jitter(Jitter.NONE).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1_000_000)
                        .minimumRequestThreshold(1_000_000).build())
                .clock(this.clock)
                .sleeper(this.clock.sleeper())
                .build();
        AuditRetryMetrics concurrentMetrics = new AuditRetryMetrics(manager);
        concurrentMetrics.bindTo(this.registry);
        int threads = 4;
        int callsPerThread = 500;
        List<RetryContext> contexts = List.of(ENTRIES, RetryContext.of("/ledger/balance"),
                RetryContext.of("/ledger/accounts", "PUT"));
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();

        for (int thread = 0; thread < threads; thread++) {
            futures.add(executor.submit(() -> {
                start.await();
                for (int call = 0; call < callsPerThread; call++) {
                    AtomicInteger attempts = new AtomicInteger();
                    // Every other call fails once with 503 and succeeds on its retry.
                    boolean failFirst = call % 2 == 0;
                    manager.execute(contexts.get(call % contexts.size()), () -> {
                        if (failFirst && attempts.incrementAndGet() == 1) {
                            throw new HttpStatusException(503);
                        }
                        return "ok";
                    });
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        executor.shutdown();
        concurrentMetrics.close();

        double withoutRetry = this.registry.find(AuditRetryMetrics.CALLS).tag("outcome", "success_without_retry")
                .counters().stream().mapToDouble((counter) -> counter.count()).sum();
        double afterRetry = this.registry.find(AuditRetryMetrics.CALLS).tag("outcome", "success_after_retry")
                .counters().stream().mapToDouble((counter) -> counter.count()).sum();
        long delays = this.registry.find(AuditRetryMetrics.DELAY).timers().stream().mapToLong(Timer::count).sum();
        assertThat(withoutRetry).isEqualTo(threads * callsPerThread / 2.0);
        assertThat(afterRetry).isEqualTo(threads * callsPerThread / 2.0);
        assertThat(delays).isEqualTo(threads * callsPerThread / 2);
        assertThat(this.registry.find(AuditRetryMetrics.CIRCUIT_STATE).gauges()).hasSize(3 * contexts.size());
    }

    @Test
    void countsRetriesStoppedBySpentBudget() throws Exception {
        // Retries may add 50% of the first attempts of the last 10 s, with no floor.
        RetryManager manager = RetryManager.builder()
                .retryConfig(RetryConfig.builder().initialDelay(Duration.ofMillis(100)).jitter(Jitter.NONE)
                        .retryBudget(RetryBudgetConfig.of(50, Duration.ofSeconds(10), 0)).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1_000_000)
                        .minimumRequestThreshold(1_000_000).build())
                .clock(this.clock)
                .sleeper(this.clock.sleeper())
                .build();
        AuditRetryMetrics budgetMetrics = new AuditRetryMetrics(manager);
        budgetMetrics.bindTo(this.registry);
        RetryContext balance = RetryContext.of("/ledger/balance");
        List<Boolean> retried = new ArrayList<>();

        // Each call fails once with 503. After n first attempts the budget allows n / 2 retries, so the 1st and
        // 3rd call find it spent and get the 503, and the 2nd and 4th are retried and succeed.
        for (int call = 0; call < 4; call++) {
            AtomicInteger attempts = new AtomicInteger();
            try {
                manager.execute(balance, () -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new HttpStatusException(503);
                    }
                    return "ok";
                });
                retried.add(true);
            }
            catch (HttpStatusException ex) {
                assertThat(ex.getStatus()).isEqualTo(503);
                retried.add(false);
            }
        }
        budgetMetrics.close();

        assertThat(retried).containsExactly(false, true, false, true);
        assertThat(retriesStopped("/ledger/balance:GET", "retry_budget")).isEqualTo(2.0);
        assertThat(retriesStopped("/ledger/balance:GET", "max_attempts")).isZero();
        assertThat(retriesStopped("/ledger/balance:GET", "not_idempotent")).isZero();
        assertThat(this.registry.get(AuditRetryMetrics.CALLS).tag("endpoint", "/ledger/balance:GET")
                .tag("outcome", "failed_without_retry").counter().count()).isEqualTo(2.0);
        assertThat(this.registry.get(AuditRetryMetrics.CALLS).tag("endpoint", "/ledger/balance:GET")
                .tag("outcome", "success_after_retry").counter().count()).isEqualTo(2.0);
    }

    @Test
    void countsPostStoppedAsNotIdempotent() throws Exception {
        this.metrics.bindTo(this.registry);
        AtomicInteger attempts = new AtomicInteger();

        // A 500 may come after the POST took effect, so it is not retried; a 503 shows that it did not.
        assertThatExceptionOfType(HttpStatusException.class).isThrownBy(() -> this.retryManager.execute(ENTRIES,
                () -> {
                    attempts.incrementAndGet();
                    throw new HttpStatusException(500);
                }));
        failThenSucceed(1);

        assertThat(attempts).hasValue(1);
        assertThat(retriesStopped(ENTRIES_KEY, "not_idempotent")).isEqualTo(1.0);
        assertThat(retriesStopped(ENTRIES_KEY, "max_attempts")).isZero();
        assertThat(retriesStopped(ENTRIES_KEY, "retry_budget")).isZero();
        assertThat(calls("failed_without_retry")).isEqualTo(1.0);
        assertThat(calls("success_after_retry")).isEqualTo(1.0);
        assertThat(this.registry.get(AuditRetryMetrics.DELAY).tag("endpoint", ENTRIES_KEY).timer().count())
                .isEqualTo(1);
    }

    @Test
    void countsEveryReasonSeparately() throws Exception {
        this.metrics.bindTo(this.registry);

        assertThatExceptionOfType(RetryExhaustedException.class).isThrownBy(() -> failThenSucceed(3));
        failWith(500);
        failWith(500);

        assertThat(this.registry.find(AuditRetryMetrics.RETRIES_STOPPED).tag("endpoint", ENTRIES_KEY).counters())
                .hasSize(RetryStop.values().length);
        assertThat(retriesStopped(ENTRIES_KEY, "max_attempts")).isEqualTo(1.0);
        assertThat(retriesStopped(ENTRIES_KEY, "not_idempotent")).isEqualTo(2.0);
        assertThat(retriesStopped(ENTRIES_KEY, "max_elapsed")).isZero();
        assertThat(retriesStopped(ENTRIES_KEY, "retry_after_too_long")).isZero();
        Counter counter = this.registry.get(AuditRetryMetrics.RETRIES_STOPPED).tag("endpoint", ENTRIES_KEY)
                .tag("reason", "not_idempotent").counter();
        assertThat(counter.getId().getDescription()).isNotBlank();
        assertThat(counter.getId().getBaseUnit()).isEqualTo("failures");
    }

    @Test
    void removesMetersOfEvictedCircuit() throws Exception {
        RetryManager manager = RetryManager.builder()
                .circuitBreakerConfig(CircuitBreakerConfig.builder().maxCircuits(2).build())
                .clock(this.clock)
                .sleeper(this.clock.sleeper())
                .build();
        AuditRetryMetrics boundedMetrics = new AuditRetryMetrics(manager);
        boundedMetrics.bindTo(this.registry);

        for (String endpoint : List.of("/ledger/first", "/ledger/second", "/ledger/third")) {
            manager.execute(RetryContext.of(endpoint), () -> "ok");
            this.clock.advance(Duration.ofMillis(1));
        }
        boundedMetrics.close();

        assertThat(manager.getCircuitKeys()).containsExactly("/ledger/second:GET", "/ledger/third:GET");
        assertThat(metersOf("/ledger/first:GET")).isEmpty();
        assertThat(this.registry.find(AuditRetryMetrics.RETRIES_STOPPED).tag("endpoint", "/ledger/second:GET")
                .counters()).hasSize(RetryStop.values().length);
        assertThat(this.registry.find(AuditRetryMetrics.RETRIES_STOPPED).tag("endpoint", "/ledger/first:GET")
                .counters()).isEmpty();
    }

    private double retriesStopped(String circuitKey, String reason) {
        return this.registry.get(AuditRetryMetrics.RETRIES_STOPPED).tag("endpoint", circuitKey).tag("reason", reason)
                .counter().count();
    }

    private void succeed() throws Exception {
        this.retryManager.execute(ENTRIES, () -> "ok");
    }

    private void failWith(int status) {
        assertThatExceptionOfType(HttpStatusException.class).isThrownBy(() -> this.retryManager.execute(ENTRIES, () -> {
            throw new HttpStatusException(status);
        }));
    }

    // Fails the first attempts with 503, then succeeds.
    private void failThenSucceed(int failedAttempts) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        this.retryManager.execute(ENTRIES, () -> {
            if (attempts.incrementAndGet() <= failedAttempts) {
                throw new HttpStatusException(503);
            }
            return "ok";
        });
    }

    private double calls(String outcome) {
        return this.registry.get(AuditRetryMetrics.CALLS).tag("endpoint", ENTRIES_KEY).tag("outcome", outcome)
                .counter().count();
    }

    private double transitions(String from, String to) {
        return this.registry.get(AuditRetryMetrics.CIRCUIT_TRANSITIONS).tag("endpoint", ENTRIES_KEY)
                .tag("from", from).tag("to", to).counter().count();
    }

    private double stateGauge(String state) {
        return this.registry.get(AuditRetryMetrics.CIRCUIT_STATE).tag("endpoint", ENTRIES_KEY).tag("state", state)
                .gauge().value();
    }

    private List<Meter> metersOf(String circuitKey) {
        return List.copyOf(Search.in(this.registry).tag("endpoint", circuitKey).meters());
    }
}
