package dev.auditretry.core.circuit;

/**
 * The state of a circuit.
 */
public enum CircuitBreakerState {

    /** Calls pass, and their outcomes are counted in the monitoring window. */
    CLOSED,

    /** Calls are rejected at once until the recovery timeout has passed. */
    OPEN,

    /** A limited number of trial calls pass; the first to finish closes or reopens the circuit. */
    HALF_OPEN
}
