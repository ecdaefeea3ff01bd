package dev.auditretry.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sleeper that records each wait and advances a {@link MutableClock} by it instead of sleeping. It honours
 * interrupts like a real sleep.
 */
public final class RecordingSleeper implements Sleeper {

    private final MutableClock clock;

    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    public RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before the wait");
        }
        this.waits.add(duration);
        this.clock.advance(duration);
    }

    public List<Duration> waits() {
        return List.copyOf(this.waits);
    }
}
