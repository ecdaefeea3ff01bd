package dev.auditretry.benchmarks.outage;

/**
 * The load and the outage, in logical milliseconds since the simulation began.
 *
 * @param clients logical clients, each issuing calls on its own schedule
 * @param callIntervalMillis time between two calls of one client, whatever the outcome of the previous call
 * @param clientOffsetMillis how far apart the clients' first calls are, so calls spread over the interval
 * @param lastCallMillis no call is issued at or after this time; calls in progress still finish
 * @param outageStartMillis the backend fails every request sent from here on
 * @param outageEndMillis the backend answers every request sent from here on
 * @param latencyMillis how long the backend takes to answer, success or failure
 * @param bucketMillis the width of one interval of the timeline
 */
record OutageScenario(int clients, long callIntervalMillis, long clientOffsetMillis, long lastCallMillis,
        long outageStartMillis, long outageEndMillis, long latencyMillis, long bucketMillis) {

    /** 50 clients with one call per second each, and a 30 s outage after 15 s of normal traffic. */
    static OutageScenario standard() {
        return new OutageScenario(50, 1_000, 20, 75_000, 15_000, 45_000, 20, 500);
    }

    boolean isOutage(long elapsedMillis) {
        return elapsedMillis >= this.outageStartMillis && elapsedMillis < this.outageEndMillis;
    }

    /** Returns the calls issued per second by all clients together. */
    double callsPerSecond() {
        return this.clients * 1000.0 / this.callIntervalMillis;
    }
}
