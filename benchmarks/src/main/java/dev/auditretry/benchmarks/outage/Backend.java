package dev.auditretry.benchmarks.outage;

import dev.auditretry.core.HttpStatusException;
import java.util.concurrent.CompletableFuture;

/**
 * The remote service: it answers every request after a fixed latency, with HTTP 503 for requests sent during
 * the outage and with a response otherwise.
 */
final class Backend {

    private static final int SERVICE_UNAVAILABLE = 503;

    private final EventLoop loop;

    private final OutageScenario scenario;

    private final RunLog log;

    Backend(EventLoop loop, OutageScenario scenario, RunLog log) {
        this.loop = loop;
        this.scenario = scenario;
        this.log = log;
    }

    /**
     * Receives one request of a call.
     * @param call the client call that the request belongs to
     * @return the response, completed after the latency
     */
    CompletableFuture<String> handle(CallLog call) {
        long sentMillis = this.loop.elapsedMillis();
        boolean failing = this.scenario.isOutage(sentMillis);
        this.log.recordRequest(call, sentMillis, failing);

        CompletableFuture<String> response = new CompletableFuture<>();
        this.loop.scheduleAfter(this.scenario.latencyMillis(), () -> {
            if (failing) {
                response.completeExceptionally(new HttpStatusException(SERVICE_UNAVAILABLE));
            }
            else {
                response.complete("200 OK");
            }
        });
        return response;
    }
}
