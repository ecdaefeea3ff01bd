package dev.auditretry.sample;

import dev.auditretry.core.DelayScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A delay scheduler for asynchronous calls that advances a {@link MutableClock} and completes at once, recording
 * every wait.
 */
public final class AdvancingDelayScheduler implements DelayScheduler {

    private final MutableClock clock;

    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    public AdvancingDelayScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> delay(Duration delay) {
        this.delays.add(delay);
        this.clock.advance(delay);
        return CompletableFuture.completedFuture(null);
    }

    public List<Duration> getDelays() {
        return List.copyOf(this.delays);
    }

    public void clear() {
        this.delays.clear();
    }
}
