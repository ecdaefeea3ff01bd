package dev.auditretry.sample;

import dev.auditretry.core.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sleeper that advances a {@link MutableClock} instead of waiting, and records every wait.
 */
public final class AdvancingSleeper implements Sleeper {

    private final MutableClock clock;

    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    public AdvancingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        this.waits.add(duration);
        this.clock.advance(duration);
    }

    public List<Duration> getWaits() {
        return List.copyOf(this.waits);
    }

    public void clear() {
        this.waits.clear();
    }
}
