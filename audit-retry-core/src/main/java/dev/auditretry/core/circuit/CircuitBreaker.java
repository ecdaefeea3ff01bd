package dev.auditretry.core.circuit;

import dev.auditretry.core.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit of one endpoint: it counts outcomes over a sliding window, opens when failures pass the
 * thresholds, rejects calls while open, and lets a bounded number of trial calls decide whether to close.
 * <p>
 * Thread-safe. Admitting a call to a closed circuit reads one atomic reference and allocates nothing.
 * Recording an outcome takes a short lock that guards the window and nothing that can block.
 */
public final class CircuitBreaker {

    private static final Logger logger = LoggerFactory.getLogger(CircuitBreaker.class);

    private final String key;

    private final Clock clock;

    private final CircuitStateListener listener;

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.closed(1));

    private final AtomicLong trialIds = new AtomicLong();

    // Guards window, lastFailureMillis and every transition that clears or reads the window.
    private final ReentrantLock lock = new ReentrantLock();

    private volatile CircuitBreakerConfig config;

    private SlidingWindow window;

    private long lastFailureMillis = Long.MIN_VALUE;

    // The CLOSED episode whose outcomes the window holds. An attempt of that episode that ends after the circuit
    // opened is still counted, so the counts show every failure that reached the service, but it changes no state.
    private long windowEpisode = 1;

    /**
     * Creates a closed circuit.
     * @param key the circuit key, {@code endpoint:METHOD}, used in messages and events
     * @param config the settings; {@link #updateConfig} replaces them later
     * @param clock the source of time for the window and the recovery timeout
     * @param listener receives every transition, after the change
     */
    public CircuitBreaker(String key, CircuitBreakerConfig config, Clock clock, CircuitStateListener listener) {
        this.key = Objects.requireNonNull(key, "key must not be null");
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.listener = Objects.requireNonNull(listener, "listener must not be null");
        this.window = new SlidingWindow(config.monitoringWindow());
    }

    /**
     * Admits one attempt or rejects it. An OPEN circuit whose recovery timeout has passed becomes HALF_OPEN
     * here, with this attempt as its first trial.
     * @return the permit to report the attempt's outcome with
     * @throws CircuitBreakerOpenException if the circuit is OPEN, or HALF_OPEN with every trial slot taken
     */
    public Permit acquirePermission() {
        while (true) {
            Snapshot current = this.snapshot.get();
            if (current.state() == CircuitBreakerState.CLOSED) {
                return current.closedPermit();
            }

            long nowMillis = this.clock.millis();
            Permit permit = (current.state() == CircuitBreakerState.OPEN)
                    ? tryStartHalfOpen(current, nowMillis) : tryAdmitTrial(current, nowMillis);
            if (permit != null) {
                return permit;
            }
        }
    }

    /**
     * Returns whether an attempt would be admitted now, without taking a permit or changing state.
     */
    public boolean isCallPermitted() {
        Snapshot current = this.snapshot.get();
        long nowMillis = this.clock.millis();
        return switch (current.state()) {
            case CLOSED -> true;
            case OPEN -> nowMillis >= current.openUntilMillis();
            case HALF_OPEN -> activeTrials(current, nowMillis).size() < this.config.halfOpenMaxCalls();
        };
    }

    /**
     * Returns the exception that an attempt would be rejected with now, without taking a permit or changing
     * state; empty when an attempt would be admitted.
     */
    public Optional<CircuitBreakerOpenException> currentRejection() {
        Snapshot current = this.snapshot.get();
        long nowMillis = this.clock.millis();
        if (current.state() == CircuitBreakerState.OPEN && nowMillis < current.openUntilMillis()) {
            return Optional.of(rejection(current, nowMillis, current.openUntilMillis()));
        }
        if (current.state() == CircuitBreakerState.HALF_OPEN) {
            List<Snapshot.Trial> active = activeTrials(current, nowMillis);
            if (active.size() >= this.config.halfOpenMaxCalls()) {
                return Optional.of(rejection(current, nowMillis, earliestTrialExpiryMillis(active)));
            }
        }
        return Optional.empty();
    }

    /**
     * Records a successful attempt. A successful trial closes the circuit and clears its counts.
     * @param permit the permit of the attempt
     */
    public void recordSuccess(Permit permit) {
        CircuitBreakerState closedFrom = null;
        Transition opened = null;
        long nowMillis = this.clock.millis();
        this.lock.lock();
        try {
            Snapshot current = this.snapshot.get();
            if (current.episode() != permit.episode) {
                if (permit.episode == this.windowEpisode && !permit.isTrial()) {
                    this.window.recordSuccess(nowMillis);
                }
                return;
            }
            if (current.state() == CircuitBreakerState.CLOSED) {
                this.window.recordSuccess(nowMillis);
                CircuitBreakerConfig settings = this.config;
                // Under the rate rule a success can push the failure share to the threshold by adding a request.
                if (settings.usesFailureRate()) {
                    opened = openIfThresholdReached(current, nowMillis, settings);
                }
            }
            if (current.state() == CircuitBreakerState.HALF_OPEN && casWithinEpisode(current, Snapshot.closed(current.episode() + 1))) {
                this.window.clear();
                this.windowEpisode = current.episode() + 1;
                closedFrom = CircuitBreakerState.HALF_OPEN;
            }
        }
        finally {
            this.lock.unlock();
        }
        if (closedFrom != null) {
            logger.info("Circuit for '{}' closed after a successful trial call", this.key);
            notifyTransition(closedFrom, CircuitBreakerState.CLOSED);
        }
        if (opened != null) {
            logOpened(opened);
            notifyTransition(opened.from(), CircuitBreakerState.OPEN);
        }
    }

    /**
     * Records a failed attempt. It opens a closed circuit whose thresholds are reached, and reopens a half-open
     * one with a fresh recovery timeout.
     * @param permit the permit of the attempt
     */
    public void recordFailure(Permit permit) {
        Transition opened = null;
        long nowMillis = this.clock.millis();
        this.lock.lock();
        try {
            Snapshot current = this.snapshot.get();
            if (current.episode() != permit.episode) {
                if (permit.episode == this.windowEpisode && !permit.isTrial()) {
                    this.window.recordFailure(nowMillis);
                    this.lastFailureMillis = nowMillis;
                }
                return;
            }
            this.window.recordFailure(nowMillis);
            this.lastFailureMillis = nowMillis;

            CircuitBreakerConfig settings = this.config;
            if (current.state() == CircuitBreakerState.HALF_OPEN) {
                int failedTrials = current.failedTrials() + 1;
                long openMillis = settings.openDuration(failedTrials).toMillis();
                if (casWithinEpisode(current, Snapshot.open(current.episode() + 1, nowMillis + openMillis, failedTrials))) {
                    opened = new Transition(CircuitBreakerState.HALF_OPEN, this.window.counts(nowMillis), settings,
                            Duration.ofMillis(openMillis));
                }
            }
            else if (current.state() == CircuitBreakerState.CLOSED) {
                opened = openIfThresholdReached(current, nowMillis, settings);
            }
        }
        finally {
            this.lock.unlock();
        }
        if (opened != null) {
            logOpened(opened);
            notifyTransition(opened.from(), CircuitBreakerState.OPEN);
        }
    }

    // Called with the lock held, right after an outcome was recorded at nowMillis, so the window's totals are
    // those of the window ending now.
    private Transition openIfThresholdReached(Snapshot closed, long nowMillis, CircuitBreakerConfig settings) {
        long total = this.window.totalCount();
        long failures = this.window.failureCount();
        if (total < settings.minimumRequestThreshold()) {
            return null;
        }
        boolean reached = settings.usesFailureRate()
                ? failures * 100.0 >= settings.failureRateThreshold() * total
                : failures >= settings.failureThreshold();
        if (!reached) {
            return null;
        }
        SlidingWindow.Counts counts = new SlidingWindow.Counts(failures, total - failures);
        Duration openTime = settings.openDuration(0);
        Snapshot open = Snapshot.open(closed.episode() + 1, nowMillis + openTime.toMillis(), 0);
        return casWithinEpisode(closed, open) ? new Transition(CircuitBreakerState.CLOSED, counts, settings, openTime)
                : null;
    }

    /**
     * Records a client error as the clientErrors setting specifies: ignored, as a success or as a failure.
     * @param permit the permit of the attempt
     */
    public void recordClientError(Permit permit) {
        switch (this.config.clientErrors()) {
            case IGNORE -> releasePermission(permit);
            case RECORD_AS_SUCCESS -> recordSuccess(permit);
            case RECORD_AS_FAILURE -> recordFailure(permit);
        }
    }

    /**
     * Ends an attempt without recording an outcome, for example when it was interrupted. A trial call's slot
     * becomes free for the next caller.
     * @param permit the permit of the attempt
     */
    public void releasePermission(Permit permit) {
        if (!permit.isTrial()) {
            return;
        }
        while (true) {
            Snapshot current = this.snapshot.get();
            if (current.episode() != permit.episode || current.state() != CircuitBreakerState.HALF_OPEN) {
                return;
            }
            List<Snapshot.Trial> remaining = new ArrayList<>(current.trials());
            if (!remaining.removeIf((trial) -> trial.id() == permit.trialId)) {
                return;
            }
            if (this.snapshot.compareAndSet(current, current.withTrials(remaining))) {
                return;
            }
        }
    }

    /**
     * Closes the circuit with zero counts, no last failure and no pending recovery timer. Permits issued
     * before the reset no longer affect it.
     */
    public void reset() {
        CircuitBreakerState from;
        this.lock.lock();
        try {
            Snapshot current;
            do {
                current = this.snapshot.get();
            }
            while (!this.snapshot.compareAndSet(current, Snapshot.closed(current.episode() + 1)));
            from = current.state();
            this.window.clear();
            this.windowEpisode = current.episode() + 1;
            this.lastFailureMillis = Long.MIN_VALUE;
        }
        finally {
            this.lock.unlock();
        }
        if (from == CircuitBreakerState.CLOSED) {
            logger.debug("Circuit for '{}' was reset while CLOSED", this.key);
        }
        else {
            logger.info("Circuit for '{}' was reset from {} to CLOSED", this.key, from);
        }
        notifyTransition(from, CircuitBreakerState.CLOSED);
    }

    /**
     * Replaces the settings for the next attempt, keeping the state. A changed monitoring window keeps the
     * outcomes that fall inside the new one.
     * @param newConfig the new settings
     */
    public void updateConfig(CircuitBreakerConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig must not be null");
        this.lock.lock();
        try {
            CircuitBreakerConfig previous = this.config;
            this.config = newConfig;
            if (!previous.monitoringWindow().equals(newConfig.monitoringWindow())) {
                SlidingWindow resized = new SlidingWindow(newConfig.monitoringWindow());
                resized.copyFrom(this.window, this.clock.millis());
                this.window = resized;
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Returns a snapshot of the state and of the counts inside the current window. Reading never takes a permit
     * and never changes state.
     */
    public CircuitBreakerStats getStats() {
        long nowMillis = this.clock.millis();
        SlidingWindow.Counts counts;
        long lastFailure;
        this.lock.lock();
        try {
            counts = this.window.counts(nowMillis);
            lastFailure = this.lastFailureMillis;
        }
        finally {
            this.lock.unlock();
        }
        Snapshot current = this.snapshot.get();
        Optional<Instant> lastFailureTime = (lastFailure == Long.MIN_VALUE)
                ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastFailure));
        return new CircuitBreakerStats(this.key, current.state(), counts.failures(), counts.successes(),
                counts.total(), lastFailureTime, nextRetryTime(current, nowMillis));
    }

    public CircuitBreakerState getState() {
        return this.snapshot.get().state();
    }

    public String getKey() {
        return this.key;
    }

    public CircuitBreakerConfig getConfig() {
        return this.config;
    }

    private Permit tryStartHalfOpen(Snapshot open, long nowMillis) {
        if (nowMillis < open.openUntilMillis()) {
            throw rejection(open, nowMillis, open.openUntilMillis());
        }
        Snapshot.Trial trial = new Snapshot.Trial(this.trialIds.incrementAndGet(), nowMillis);
        Snapshot halfOpen = Snapshot.halfOpen(open.episode() + 1, List.of(trial), open.failedTrials());
        if (!this.snapshot.compareAndSet(open, halfOpen)) {
            return null;
        }
        logger.info("Circuit for '{}' is half-open; admitting up to {} trial calls", this.key,
                this.config.halfOpenMaxCalls());
        notifyTransition(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN);
        return new Permit(halfOpen.episode(), trial.id());
    }

    private Permit tryAdmitTrial(Snapshot halfOpen, long nowMillis) {
        List<Snapshot.Trial> active = activeTrials(halfOpen, nowMillis);
        if (active.size() >= this.config.halfOpenMaxCalls()) {
            throw rejection(halfOpen, nowMillis, earliestTrialExpiryMillis(active));
        }
        Snapshot.Trial trial = new Snapshot.Trial(this.trialIds.incrementAndGet(), nowMillis);
        List<Snapshot.Trial> trials = new ArrayList<>(active.size() + 1);
        trials.addAll(active);
        trials.add(trial);
        if (!this.snapshot.compareAndSet(halfOpen, halfOpen.withTrials(trials))) {
            return null;
        }
        return new Permit(halfOpen.episode(), trial.id());
    }

    // Trials older than the recovery timeout may never return, so they stop occupying a slot.
    private List<Snapshot.Trial> activeTrials(Snapshot halfOpen, long nowMillis) {
        long timeoutMillis = this.config.recoveryTimeout().toMillis();
        List<Snapshot.Trial> active = new ArrayList<>(halfOpen.trials().size());
        for (Snapshot.Trial trial : halfOpen.trials()) {
            if (nowMillis - trial.startedMillis() < timeoutMillis) {
                active.add(trial);
            }
        }
        return active;
    }

    private long earliestTrialExpiryMillis(List<Snapshot.Trial> active) {
        long earliest = Long.MAX_VALUE;
        for (Snapshot.Trial trial : active) {
            earliest = Math.min(earliest, trial.startedMillis() + this.config.recoveryTimeout().toMillis());
        }
        return earliest;
    }

    private Optional<Instant> nextRetryTime(Snapshot current, long nowMillis) {
        if (current.state() == CircuitBreakerState.OPEN) {
            return Optional.of(Instant.ofEpochMilli(current.openUntilMillis()));
        }
        if (current.state() == CircuitBreakerState.HALF_OPEN) {
            List<Snapshot.Trial> active = activeTrials(current, nowMillis);
            if (active.size() >= this.config.halfOpenMaxCalls()) {
                return Optional.of(Instant.ofEpochMilli(earliestTrialExpiryMillis(active)));
            }
        }
        return Optional.empty();
    }

    // Half-open snapshots also change outside the lock when trials come and go. Those changes keep the
    // episode, so the transition is retried against the newest snapshot of the same episode.
    private boolean casWithinEpisode(Snapshot expected, Snapshot replacement) {
        Snapshot current = expected;
        while (current.episode() == expected.episode()) {
            if (this.snapshot.compareAndSet(current, replacement)) {
                return true;
            }
            current = this.snapshot.get();
        }
        return false;
    }

    private CircuitBreakerOpenException rejection(Snapshot current, long nowMillis, long retryAtMillis) {
        long waitMillis = Math.max(0, retryAtMillis - nowMillis);
        String message = (current.state() == CircuitBreakerState.OPEN)
                ? "Circuit '" + this.key + "' is open; calls are rejected for another " + waitMillis + " ms"
                : "Circuit '" + this.key + "' is half-open and its " + this.config.halfOpenMaxCalls()
                        + " trial call slots are taken; calls are rejected for up to another " + waitMillis + " ms";
        return new CircuitBreakerOpenException(message, this.key, Instant.ofEpochMilli(retryAtMillis), getStats(),
                null);
    }

    private void logOpened(Transition opened) {
        String openTime = Durations.format(opened.openTime());
        if (opened.from() == CircuitBreakerState.HALF_OPEN) {
            logger.warn("Circuit for '{}' reopened after a failed trial call; failing fast for {}", this.key, openTime);
            return;
        }
        logger.warn("Circuit for '{}' opened after {} failures in {} requests within {}; failing fast for {}",
                this.key, opened.counts().failures(), opened.counts().total(),
                Durations.format(opened.config().monitoringWindow()), openTime);
    }

    private void notifyTransition(CircuitBreakerState from, CircuitBreakerState to) {
        try {
            this.listener.onStateChange(this.key, from, to);
        }
        catch (RuntimeException ex) {
            logger.warn("Circuit listener failed for '{}'", this.key, ex);
        }
    }

    private record Transition(CircuitBreakerState from, SlidingWindow.Counts counts, CircuitBreakerConfig config,
            Duration openTime) {
    }
}
