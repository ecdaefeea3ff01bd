package dev.auditretry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A delay scheduler whose waits complete only when a test releases them, advancing a {@link MutableClock}.
 */
public final class ManualDelayScheduler implements DelayScheduler {

    private final MutableClock clock;

    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    private final List<PendingWait> pending = new CopyOnWriteArrayList<>();

    public ManualDelayScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> delay(Duration delay) {
        CompletableFuture<Void> wait = new CompletableFuture<>();
        this.delays.add(delay);
        this.pending.add(new PendingWait(delay, wait));
        return wait;
    }

    /** Completes the oldest pending wait after advancing the clock by its delay. */
    public void releaseNext() {
        PendingWait wait = this.pending.remove(0);
        this.clock.advance(wait.delay());
        wait.future().complete(null);
    }

    public int pendingCount() {
        return this.pending.size();
    }

    public List<Duration> delays() {
        return new ArrayList<>(this.delays);
    }

    private record PendingWait(Duration delay, CompletableFuture<Void> future) {
    }
}
