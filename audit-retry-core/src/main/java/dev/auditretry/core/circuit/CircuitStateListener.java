package dev.auditretry.core.circuit;

/**
 * Receives the state transitions of a circuit. Called once per transition, by the thread that made it, after
 * the change and outside any lock.
 */
@FunctionalInterface
public interface CircuitStateListener {

    /**
     * Reports a transition.
     * @param circuitKey the circuit that changed
     * @param from the state before
     * @param to the state after; equal to {@code from} only when a reset closed an already closed circuit
     */
    void onStateChange(String circuitKey, CircuitBreakerState from, CircuitBreakerState to);
}
