package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.CircuitBreakerState;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncRetryTests {

    private static final RetryContext QUOTES = RetryContext.of("/quotes");

    private final MutableClock clock = new MutableClock();

    private final ManualDelayScheduler scheduler = new ManualDelayScheduler(this.clock);

    private final RetryManager manager = RetryManager.builder().clock(this.clock).delayScheduler(this.scheduler)
            .sleeper((duration) -> {
                throw new AssertionError("asynchronous calls must not sleep");
            })
            .retryConfig(RetryConfig.builder().maxAttempts(3).initialDelay(Duration.ofMillis(100)).jitter(Jitter.NONE).build())
            .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(3).minimumRequestThreshold(3)
                    .recoveryTimeout(Duration.ofSeconds(10)).build())
            .build();

    @Test
    void schedulesWaitsAndCallsTheOperationAgain() {
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> result = this.manager.executeAsync(QUOTES, () -> {
            if (calls.incrementAndGet() < 3) {
                return CompletableFuture.failedFuture(new HttpStatusException(503));
            }
            return CompletableFuture.completedFuture("quote");
        });

        assertThat(result).isNotDone();
        assertThat(this.scheduler.delays()).containsExactly(Duration.ofMillis(100));
        this.scheduler.releaseNext();
        assertThat(this.scheduler.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        this.scheduler.releaseNext();

        assertThat(result).isCompletedWithValue("quote");
        assertThat(calls).hasValue(3);
    }

    @Test
    void classifiesTheFailureInsideCompletionWrappers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        IOException notRetryable = new IOException("disk full");

        CompletableFuture<String> result = this.manager.executeAsync(QUOTES, () -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new CompletionException(new ExecutionException(notRetryable)));
        });

        assertThat(result).isCompletedExceptionally();
        assertThat(calls).hasValue(1);
        assertThat(result.handle((value, error) -> error).get()).isSameAs(notRetryable);
    }

    @Test
    void circuitRecordsTheAttemptWhenItsStageCompletes() {
        CompletableFuture<String> pending = new CompletableFuture<>();

        CompletableFuture<String> result = this.manager.executeAsync(QUOTES, () -> pending);

        assertThat(this.manager.getCircuitBreakerStats(QUOTES.getCircuitKey()).orElseThrow().totalRequests()).isZero();
        pending.complete("late quote");
        assertThat(this.manager.getCircuitBreakerStats(QUOTES.getCircuitKey()).orElseThrow().successCount()).isEqualTo(1);
        assertThat(result).isCompletedWithValue("late quote");
    }

    @Test
    void exhaustedRetriesCompleteWithRetryExhaustedException() throws Exception {
        CompletableFuture<String> result = this.manager.executeAsync(QUOTES,
                () -> CompletableFuture.failedFuture(new HttpStatusException(503)));
        this.scheduler.releaseNext();
        this.scheduler.releaseNext();

        Throwable error = result.handle((value, failure) -> failure).get();
        assertThat(error).isInstanceOf(RetryExhaustedException.class);
        assertThat(((RetryExhaustedException) error).getAttempts()).isEqualTo(3);
    }

    @Test
    void synchronousThrowOfTheOperationIsAFailedAttempt() {
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> result = this.manager.executeAsync(QUOTES, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new HttpStatusException(503);
            }
            return CompletableFuture.completedFuture("second");
        });
        this.scheduler.releaseNext();

        assertThat(result).isCompletedWithValue("second");
    }

    @Test
    void cancellingStopsFurtherAttempts() {
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> result = this.manager.executeAsync(QUOTES, () -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new HttpStatusException(503));
        });
        result.cancel(true);
        this.scheduler.releaseNext();

        assertThat(calls).hasValue(1);
        assertThat(this.scheduler.pendingCount()).isZero();
        assertThat(result).isCancelled();
    }

    @Test
    void cancellingDuringAWaitReportsTheEndOnce() {
        List<String> finished = new CopyOnWriteArrayList<>();
        this.manager.addListener(new RetryListener() {
            @Override
            public void onCallFinished(RetryContext context, CallOutcome outcome, int attempts, Duration elapsed,
                    Throwable error) {
                finished.add(outcome + " " + attempts + " " + error.getClass().getSimpleName());
            }
        });

        CompletableFuture<String> result = this.manager.executeAsync(QUOTES,
                () -> CompletableFuture.failedFuture(new HttpStatusException(503)));
        result.cancel(true);
        this.scheduler.releaseNext();

        assertThat(finished).containsExactly("FAILED_WITHOUT_RETRY 1 CancellationException");
    }

    @Test
    void cancellingTrialReleasesPermit() {
        openCircuit();
        this.clock.advance(Duration.ofSeconds(10));
        CompletableFuture<String> trialStage = new CompletableFuture<>();

        CompletableFuture<String> trial = this.manager.executeAsync(QUOTES, () -> trialStage);
        assertThat(this.manager.getCircuitBreakerStats(QUOTES.getCircuitKey()).orElseThrow().state())
                .isEqualTo(CircuitBreakerState.HALF_OPEN);
        CompletableFuture<String> blocked = this.manager.executeAsync(QUOTES, () -> CompletableFuture.completedFuture("x"));
        assertThat(blocked).isCompletedExceptionally();
        trial.cancel(true);

        assertThat(trialStage).isCancelled();
        CompletableFuture<String> next = this.manager.executeAsync(QUOTES, () -> CompletableFuture.completedFuture("closed"));
        assertThat(next).isCompletedWithValue("closed");
        assertThat(this.manager.getCircuitBreakerStats(QUOTES.getCircuitKey()).orElseThrow().state())
                .isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void openCircuitRejectsWithoutCallingTheOperation() throws Exception {
        openCircuit();
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> result = this.manager.executeAsync(QUOTES, () -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        });

        assertThat(calls).hasValue(0);
        assertThat(result.handle((value, error) -> error).get()).isInstanceOf(CircuitBreakerOpenException.class);
    }

    private void openCircuit() {
        this.manager.executeAsync(QUOTES, () -> CompletableFuture.failedFuture(new HttpStatusException(503)));
        this.scheduler.releaseNext();
        this.scheduler.releaseNext();
        assertThat(this.manager.getCircuitBreakerStats(QUOTES.getCircuitKey()).orElseThrow().state())
                .isEqualTo(CircuitBreakerState.OPEN);
    }
}
