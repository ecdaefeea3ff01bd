package dev.auditretry.autoconfigure;

import dev.auditretry.core.DelayScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A delay scheduler that records each wait and advances a {@link MutableClock} instead of waiting, so the next
 * attempt starts at once.
 */
public final class RecordingDelayScheduler implements DelayScheduler {

    private final MutableClock clock;

    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    public RecordingDelayScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> delay(Duration delay) {
        this.delays.add(delay);
        this.clock.advance(delay);
        return CompletableFuture.completedFuture(null);
    }

    public List<Duration> delays() {
        return List.copyOf(this.delays);
    }
}
