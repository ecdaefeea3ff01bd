package dev.auditretry.autoconfigure;

import dev.auditretry.core.DelayScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A delay scheduler whose waits end only when a test releases them. Releasing a wait advances a
 * {@link MutableClock} by its delay and starts the next attempt on the test's thread.
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

    /** Ends the oldest pending wait. */
    public void releaseNext() {
        PendingWait wait = this.pending.remove(0);
        this.clock.advance(wait.delay());
        wait.future().complete(null);
    }

    public int pendingCount() {
        return this.pending.size();
    }

    public List<Duration> delays() {
        return List.copyOf(this.delays);
    }

    /** Forgets the recorded delays and drops pending waits without ending them. */
    public void clear() {
        this.delays.clear();
        this.pending.clear();
    }

    private record PendingWait(Duration delay, CompletableFuture<Void> future) {
    }
}
