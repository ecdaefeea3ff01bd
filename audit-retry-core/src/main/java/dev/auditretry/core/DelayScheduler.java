package dev.auditretry.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Schedules the waits of asynchronous calls without blocking a thread. Tests inject one that completes the
 * waits by hand.
 */
@FunctionalInterface
public interface DelayScheduler {

    /**
     * Returns a stage that completes once the delay has passed.
     * @param delay how long to wait, zero or positive
     */
    CompletionStage<Void> delay(Duration delay);

    /**
     * Returns a scheduler that completes each wait on {@link java.util.concurrent.ForkJoinPool#commonPool()}
     * through {@link CompletableFuture#delayedExecutor}, so the next attempt starts on that pool.
     */
    static DelayScheduler commonPool() {
        return (delay) -> CompletableFuture.runAsync(() -> {
        }, CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
    }
}
