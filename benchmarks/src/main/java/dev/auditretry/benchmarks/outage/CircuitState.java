package dev.auditretry.benchmarks.outage;

/** The circuit states that both libraries go through in the simulation, in the order the chart draws them. */
enum CircuitState {

    CLOSED, HALF_OPEN, OPEN
}
