package dev.auditretry.benchmarks.outage;

import dev.auditretry.benchmarks.ComparableSettings;
import dev.auditretry.benchmarks.ComparableSettings.CircuitRule;
import dev.auditretry.core.RetryBudgetConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryListener;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One library with its settings, wrapped around each client call of a run. Both libraries run through their
 * asynchronous API, so that their waits are scheduled on the event loop instead of blocking a thread.
 */
// NOTE: only the asynchronous APIs run here. The synchronous paths apply the same rules but are not simulated.
interface Protection {

    // Every run draws its jitter from the same seed, so the runs repeat exactly.
    long JITTER_SEED = 42;

    /**
     * Starts one client call.
     * @param request sends one backend request; called once per attempt
     * @return the outcome of the call
     */
    CompletionStage<String> call(Supplier<CompletionStage<String>> request);

    /**
     * Returns audit-retry's manager on the event loop's clock, with the circuit settings of
     * {@link ComparableSettings}.
     * @param retryBudget the retry budget; {@link RetryBudgetConfig#DEFAULT} is disabled
     * @param rule the rule that opens the circuit
     * @param circuitEnabled whether calls pass through a circuit
     */
    static Protection auditRetry(EventLoop loop, RunLog log, RetryBudgetConfig retryBudget, CircuitRule rule,
            boolean circuitEnabled) {
        CircuitBreakerConfig circuitBreakerConfig = ComparableSettings.ourCircuitBreakerConfig(rule).toBuilder()
                .enabled(circuitEnabled)
                .build();
        RetryListener stateRecorder = new RetryListener() {
            @Override
            public void onCircuitStateChange(String circuitKey, CircuitBreakerState from, CircuitBreakerState to) {
                log.recordStateChange(loop.elapsedMillis(), CircuitState.valueOf(to.name()));
            }
        };
        RetryManager manager = RetryManager.builder()
                .retryConfig(ComparableSettings.ourRetryConfig(retryBudget))
                .circuitBreakerConfig(circuitBreakerConfig)
                .clock(loop.clock())
                .delayScheduler(loop::delay)
                .sleeper((duration) -> {
                    throw new IllegalStateException("the simulation runs asynchronous calls only, which never sleep");
                })
                .random(new Random(JITTER_SEED))
                .listener(stateRecorder)
                .build();
        RetryContext context = RetryContext.of("/ledger/entries");
        return (request) -> manager.executeAsync(context, request);
    }

    /**
     * Returns Resilience4j's Retry, and its CircuitBreaker inside it, on the event loop's clock and scheduler.
     * @param circuitEnabled whether calls pass through a circuit
     */
    static Protection resilience4j(EventLoop loop, RunLog log, boolean circuitEnabled) {
        Retry retry = Retry.of("/ledger/entries",
                ComparableSettings.resilience4jRetryConfig(new Random(JITTER_SEED)));
        LogicalScheduledExecutor scheduler = new LogicalScheduledExecutor(loop);
        if (!circuitEnabled) {
            return (request) -> Retry.decorateCompletionStage(retry, scheduler, request).get();
        }

        // Call durations are measured in logical time too, although no setting here depends on them.
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig circuitBreakerConfig =
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig
                        .from(ComparableSettings.resilience4jCircuitBreakerConfig(loop.clock()))
                        .currentTimestampFunction((clock) -> clock.millis(), TimeUnit.MILLISECONDS)
                        .build();
        CircuitBreaker circuitBreaker = CircuitBreaker.of("/ledger/entries", circuitBreakerConfig);
        circuitBreaker.getEventPublisher().onStateTransition((event) -> log.recordStateChange(loop.elapsedMillis(),
                CircuitState.valueOf(event.getStateTransition().getToState().name())));
        return (request) -> Retry.decorateCompletionStage(retry, scheduler,
                CircuitBreaker.decorateCompletionStage(circuitBreaker, request)).get();
    }
}
