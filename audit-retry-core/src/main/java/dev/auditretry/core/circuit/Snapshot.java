package dev.auditretry.core.circuit;

import java.util.List;

/**
 * The immutable state of a circuit. Every transition creates a new episode, so outcomes of permits from an
 * earlier episode can be recognised and ignored.
 *
 * @param state the state
 * @param episode increases by one with every transition and reset
 * @param openUntilMillis when an OPEN circuit admits its first trial call; zero otherwise
 * @param trials the trial calls in progress while HALF_OPEN; empty otherwise
 * @param closedPermit the permit that every call of a CLOSED episode shares, so admitting it allocates nothing
 * @param failedTrials failed trials in a row since the circuit last closed, which lengthen the next open time
 */
record Snapshot(CircuitBreakerState state, long episode, long openUntilMillis, List<Trial> trials,
        Permit closedPermit, int failedTrials) {

    static Snapshot closed(long episode) {
        return new Snapshot(CircuitBreakerState.CLOSED, episode, 0, List.of(), new Permit(episode, 0), 0);
    }

    static Snapshot open(long episode, long openUntilMillis, int failedTrials) {
        return new Snapshot(CircuitBreakerState.OPEN, episode, openUntilMillis, List.of(), null, failedTrials);
    }

    static Snapshot halfOpen(long episode, List<Trial> trials, int failedTrials) {
        return new Snapshot(CircuitBreakerState.HALF_OPEN, episode, 0, List.copyOf(trials), null, failedTrials);
    }

    Snapshot withTrials(List<Trial> newTrials) {
        return halfOpen(this.episode, newTrials, this.failedTrials);
    }

    /**
     * A trial call admitted while HALF_OPEN.
     *
     * @param id unique within its circuit
     * @param startedMillis when the trial was admitted; after recoveryTimeout it no longer occupies a slot
     */
    record Trial(long id, long startedMillis) {
    }
}
