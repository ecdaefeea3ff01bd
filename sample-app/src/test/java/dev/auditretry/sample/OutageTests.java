package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * An outage of the downstream opens the circuit, which then rejects calls without sending them, and a healthy
 * downstream closes it again through one trial call after the recovery timeout.
 */
class OutageTests extends SampleIntegrationTest {

    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void outageOpensCircuitOfAnnotatedCall() {
        setDownstream(Map.of("fault", "status", "status", 503));

        ResponseEntity<Map<String, Object>> failed = getJson("/api/ledger/1");

        assertThat(failed.getStatusCode().value()).isEqualTo(502);
        assertThat(failed.getBody()).containsEntry("downstreamStatus", 503);
        assertThat(downstreamRequests()).isEqualTo(3);
        Map<String, Object> circuit = circuitFromActuator(ANNOTATED_CIRCUIT);
        assertThat(circuit).containsEntry("key", ANNOTATED_CIRCUIT);
        assertThat(circuit).containsEntry("state", "OPEN");
        assertThat(circuit).containsEntry("failureCount", 3);
        assertThat(circuit).containsEntry("successCount", 0);
        assertThat(circuit).containsEntry("totalRequests", 3);
        assertThat(circuit).containsKey("nextRetryTime");
    }

    @Test
    void openCircuitRejectsWithoutCallingDownstream() {
        setDownstream(Map.of("fault", "status", "status", 503));
        getJson("/api/ledger/1");
        long requestsWhenOpened = downstreamRequests();

        for (int i = 0; i < 5; i++) {
            ResponseEntity<Map<String, Object>> rejected = getJson("/api/ledger/1");
            assertThat(rejected.getStatusCode().value()).isEqualTo(503);
            assertThat(rejected.getBody()).containsEntry("title", "Circuit open");
            assertThat(rejected.getBody()).containsEntry("circuit", ANNOTATED_CIRCUIT);
            assertThat(rejected.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
        }

        assertThat(downstreamRequests()).isEqualTo(requestsWhenOpened);
        assertThat(callCount(ANNOTATED_CIRCUIT, "rejected")).isEqualTo(5.0);
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("failureCount", 3);
    }

    @Test
    void circuitOpeningStopsRetriesOfProgrammaticCall() {
        setDownstream(Map.of("fault", "status", "status", 503));

        ResponseEntity<Map<String, Object>> first = getJson("/api/ledger-programmatic/1");
        ResponseEntity<Map<String, Object>> second = getJson("/api/ledger-programmatic/1");

        assertThat(first.getStatusCode().value()).isEqualTo(502);
        assertThat(first.getBody()).containsEntry("attempts", 3);
        assertThat(second.getStatusCode().value()).isEqualTo(503);
        assertThat(second.getBody()).containsEntry("title", "Circuit open");
        assertThat(downstreamRequests()).isEqualTo(5);
        assertThat(circuitFromActuator(PROGRAMMATIC_CIRCUIT)).containsEntry("state", "OPEN")
                .containsEntry("failureCount", 5);
    }

    @Test
    void healthyDownstreamClosesCircuitAfterRecoveryTimeout() {
        setDownstream(Map.of("fault", "status", "status", 503));
        getJson("/api/ledger/1");
        setDownstream(Map.of("fault", "none"));
        long requestsWhenOpened = downstreamRequests();

        this.clock.advance(RECOVERY_TIMEOUT.minusMillis(1));
        ResponseEntity<Map<String, Object>> early = getJson("/api/ledger/1");
        this.clock.advance(Duration.ofMillis(1));
        ResponseEntity<Map<String, Object>> trial = getJson("/api/ledger/1");

        assertThat(early.getStatusCode().value()).isEqualTo(503);
        assertThat(trial.getStatusCode().value()).isEqualTo(200);
        assertThat(downstreamRequests()).isEqualTo(requestsWhenOpened + 1);
        Map<String, Object> circuit = circuitFromActuator(ANNOTATED_CIRCUIT);
        assertThat(circuit).containsEntry("state", "CLOSED");
        assertThat(circuit).doesNotContainKey("nextRetryTime");
        assertThat(getJson("/api/ledger/2").getStatusCode().value()).isEqualTo(200);
        assertThat(downstreamRequests()).isEqualTo(requestsWhenOpened + 2);
    }

    @Test
    void failedTrialOpensCircuitAgain() {
        setDownstream(Map.of("fault", "status", "status", 503));
        getJson("/api/ledger/1");
        long requestsWhenOpened = downstreamRequests();

        this.clock.advance(RECOVERY_TIMEOUT);
        ResponseEntity<Map<String, Object>> trial = getJson("/api/ledger/1");
        ResponseEntity<Map<String, Object>> afterTrial = getJson("/api/ledger/1");

        assertThat(trial.getStatusCode().value()).isEqualTo(503);
        assertThat(afterTrial.getStatusCode().value()).isEqualTo(503);
        assertThat(downstreamRequests()).isEqualTo(requestsWhenOpened + 1);
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("state", "OPEN");
    }

    @Test
    void healthShowsOpenCircuit() {
        setDownstream(Map.of("fault", "status", "status", 503));
        getJson("/api/ledger/1");

        ResponseEntity<Map<String, Object>> health = getJson("/actuator/health");

        assertThat(health.getBody()).containsKey("components");
        @SuppressWarnings("unchecked")
        Map<String, Object> components = (Map<String, Object>) health.getBody().get("components");
        assertThat(components).containsKey("circuitBreakers");
    }
}
