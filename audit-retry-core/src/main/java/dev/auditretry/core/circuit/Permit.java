package dev.auditretry.core.circuit;

/**
 * Permission for one attempt to pass a circuit. The caller reports the attempt's outcome to the circuit that
 * issued it once: {@link CircuitBreaker#recordSuccess}, {@link CircuitBreaker#recordFailure},
 * {@link CircuitBreaker#recordClientError} or {@link CircuitBreaker#releasePermission}.
 * <p>
 * An outcome reported after the circuit changed state since the permit was issued changes no state, so a slow
 * call that started before the circuit opened or was reset cannot close or reopen it. Such an outcome is still
 * counted while the circuit is OPEN after that call's CLOSED period, and dropped after a reset or a close.
 */
public final class Permit {

    final long episode;

    // Zero for the shared permit of a closed circuit, otherwise the trial call this permit belongs to.
    final long trialId;

    Permit(long episode, long trialId) {
        this.episode = episode;
        this.trialId = trialId;
    }

    /** Returns whether this permit belongs to a trial call of a half-open circuit. */
    public boolean isTrial() {
        return this.trialId != 0;
    }
}
