package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreaker;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.Permit;
import dev.auditretry.core.classify.ErrorCategory;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One asynchronous call: the same steps and rules as {@link RetryLoop}, driven by completion callbacks, with
 * waits scheduled instead of slept.
 * <p>
 * Each attempt's outcome reaches the circuit when the attempt's stage completes. Cancelling the result stops
 * further attempts, cancels the stage in progress where it allows that, and releases its permit.
 */
final class AsyncRetryLoop<T> {

    private final RetryManager manager;

    private final RetryLoop loop;

    private final Endpoint endpoint;

    private final RetryContext context;

    private final CallOptions options;

    private final Supplier<? extends CompletionStage<T>> operation;

    private final CompletableFuture<T> result = new CompletableFuture<>();

    private final AtomicReference<Attempt> current = new AtomicReference<>();

    // Set by the path that reports the end of the call to listeners, so a cancellation racing it adds no second report.
    private final AtomicBoolean finishReported = new AtomicBoolean();

    private final long startMillis;

    // Written by one callback at a time: each attempt starts only after the previous one has finished.
    private int attempt;

    private Duration previousDelay;

    private Throwable lastFailure;

    AsyncRetryLoop(RetryManager manager, RetryLoop loop, Endpoint endpoint, RetryContext context, CallOptions options,
            Supplier<? extends CompletionStage<T>> operation) {
        this.manager = manager;
        this.loop = loop;
        this.endpoint = endpoint;
        this.context = context;
        this.options = options;
        this.operation = operation;
        this.startMillis = manager.clock().millis();
        endpoint.markUsed(this.startMillis);
    }

    CompletableFuture<T> start() {
        this.result.whenComplete((value, error) -> {
            if (this.result.isCancelled()) {
                cancelAttemptInProgress();
            }
        });
        startAttempt();
        return this.result;
    }

    private void startAttempt() {
        if (this.result.isDone()) {
            return;
        }
        Settings.Resolved settings = this.endpoint.settings(this.manager.currentSettings());
        RetryConfig retryConfig = this.options.applyTo(settings.retry());
        if (this.attempt > 0 && RetryLoop.isPastDeadline(retryConfig, this.startMillis, this.manager.clock().millis())) {
            this.finishReported.set(true);
            completeWith(() -> this.loop.failedCall(this.context, this.lastFailure, RetryStop.MAX_ELAPSED, this.attempt,
                    this.startMillis));
            return;
        }

        CircuitBreaker circuitBreaker = this.endpoint.circuitBreaker();
        Permit permit = null;
        if (settings.circuitBreaker().enabled()) {
            try {
                permit = circuitBreaker.acquirePermission();
            }
            catch (CircuitBreakerOpenException rejected) {
                this.finishReported.set(true);
                this.result.completeExceptionally(this.loop.rejectedCall(this.context, rejected, this.lastFailure,
                        this.attempt, this.startMillis));
                return;
            }
        }

        this.attempt++;
        if (this.attempt == 1 && this.endpoint.retryBudget() != null) {
            this.endpoint.retryBudget().recordFirstAttempt(this.startMillis);
        }
        Attempt running = new Attempt(permit);
        this.current.set(running);
        if (this.result.isCancelled()) {
            cancelAttemptInProgress();
            return;
        }

        CompletionStage<T> stage;
        try {
            stage = this.operation.get();
            if (stage == null) {
                throw new NullPointerException("the operation returned null instead of a CompletionStage");
            }
        }
        catch (Throwable failure) {
            onFailure(running, failure);
            return;
        }
        running.stage = stage;
        stage.whenComplete((value, error) -> {
            if (error == null) {
                onSuccess(running, value);
            }
            else {
                onFailure(running, CompletionFailures.unwrap(error));
            }
        });
    }

    private void onSuccess(Attempt running, T value) {
        if (!running.resolve()) {
            return;
        }
        if (running.permit != null) {
            this.endpoint.circuitBreaker().recordSuccess(running.permit);
        }
        if (!this.finishReported.compareAndSet(false, true)) {
            return;
        }
        CallOutcome outcome = (this.attempt == 1) ? CallOutcome.SUCCESS_WITHOUT_RETRY : CallOutcome.SUCCESS_AFTER_RETRY;
        this.manager.notifyCallFinished(this.context, outcome, this.attempt, this.startMillis,
                null);
        this.result.complete(value);
    }

    private void onFailure(Attempt running, Throwable failure) {
        if (!running.resolve()) {
            return;
        }
        Settings.Resolved settings = this.endpoint.settings(this.manager.currentSettings());
        RetryConfig retryConfig = this.options.applyTo(settings.retry());
        ErrorCategory category = this.manager.classify(failure, retryConfig, this.options);
        if (running.permit != null) {
            RetryManager.record(this.endpoint.circuitBreaker(), running.permit, category);
        }
        if (this.result.isDone()) {
            return;
        }

        Duration delay;
        try {
            this.finishReported.set(true);
            delay = this.loop.decideRetry(this.endpoint, this.context, retryConfig, failure, category, this.attempt,
                    this.previousDelay, this.startMillis);
        }
        catch (Throwable terminal) {
            this.result.completeExceptionally(terminal);
            return;
        }
        // The call goes on, so its end is still to be reported, also if a cancellation came meanwhile.
        this.finishReported.set(false);
        if (this.result.isCancelled()) {
            reportCancelled();
            return;
        }
        this.loop.logRetry(this.context, delay, this.attempt, retryConfig, failure);
        this.manager.notifyRetryScheduled(this.context, this.attempt, delay, failure);
        this.previousDelay = delay;
        this.lastFailure = failure;
        this.manager.delayScheduler().delay(delay).whenComplete((ignored, error) -> startAttempt());
    }

    // Runs once, when the result was cancelled: during an attempt, or during a wait between attempts.
    private void cancelAttemptInProgress() {
        Attempt running = this.current.get();
        if (running != null && running.resolve()) {
            if (running.permit != null) {
                this.endpoint.circuitBreaker().releasePermission(running.permit);
            }
            CompletionStage<T> stage = running.stage;
            if (stage instanceof CompletableFuture<T> future) {
                future.cancel(true);
            }
        }
        reportCancelled();
    }

    private void reportCancelled() {
        if (!this.finishReported.compareAndSet(false, true)) {
            return;
        }
        CallOutcome outcome = (this.attempt <= 1) ? CallOutcome.FAILED_WITHOUT_RETRY : CallOutcome.FAILED_AFTER_RETRY;
        this.manager.notifyCallFinished(this.context, outcome, this.attempt, this.startMillis,
                new CancellationException("the caller cancelled the call"));
    }

    private void completeWith(Supplier<RuntimeException> terminal) {
        try {
            this.result.completeExceptionally(terminal.get());
        }
        catch (Throwable thrown) {
            this.result.completeExceptionally(thrown);
        }
    }

    /**
     * One attempt in progress. Its outcome is resolved once, by its completion or by cancellation, whichever
     * comes first.
     */
    private final class Attempt {

        private final Permit permit;

        private final AtomicBoolean resolved = new AtomicBoolean();

        private volatile CompletionStage<T> stage;

        Attempt(Permit permit) {
            this.permit = permit;
        }

        boolean resolve() {
            return this.resolved.compareAndSet(false, true);
        }
    }
}
