package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * Network errors produced for real are retried; 400 and 404 are neither retried nor counted against the circuit.
 */
class NetworkAndClientErrorTests extends SampleIntegrationTest {

    @Test
    void connectionRefusedIsRetried() {
        setDownstream(Map.of("fault", "down"));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-programmatic/1");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody()).containsEntry("networkError", "ECONNREFUSED");
        assertThat(response.getBody()).containsEntry("attempts", 3);
        assertThat(this.sleeper.getWaits()).hasSize(2);
        assertThat(downstreamRequests()).isZero();
        assertThat(circuitFromActuator(PROGRAMMATIC_CIRCUIT)).containsEntry("failureCount", 3);
    }

    @Test
    void connectionRefusedThenDownstreamBack() {
        setDownstream(Map.of("fault", "down"));
        getJson("/api/ledger-programmatic/1");

        setDownstream(Map.of("fault", "none"));
        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-programmatic/1");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(downstreamRequests()).isEqualTo(1);
    }

    @Test
    void connectionResetMidResponseIsRetried() {
        setDownstream(Map.of("fault", "disconnect"));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-programmatic/1");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody()).containsEntry("networkError", "ECONNRESET");
        assertThat(response.getBody()).containsEntry("attempts", 3);
        assertThat(downstreamRequests()).isEqualTo(3);
    }

    @Test
    void connectionResetsThenSuccess() {
        setDownstream(Map.of("fault", "disconnect", "times", 2));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger/9");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).containsEntry("id", "9");
        assertThat(downstreamRequests()).isEqualTo(3);
        assertThat(callCount(ANNOTATED_CIRCUIT, "success_after_retry")).isEqualTo(1.0);
    }

    @Test
    void badRequestIsNotRetried() {
        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger/abc");

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getBody()).containsEntry("downstreamStatus", 400);
        assertThat(downstreamRequests()).isEqualTo(1);
        assertThat(this.sleeper.getWaits()).isEmpty();
        assertThat(callCount(ANNOTATED_CIRCUIT, "failed_without_retry")).isEqualTo(1.0);
    }

    @Test
    void notFoundIsNotRetried() {
        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-programmatic/5000");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getBody()).containsEntry("downstreamStatus", 404);
        assertThat(response.getBody()).doesNotContainKey("attempts");
        assertThat(downstreamRequests()).isEqualTo(1);
        assertThat(this.sleeper.getWaits()).isEmpty();
    }

    @Test
    void clientErrorsDoNotOpenCircuit() {
        for (int i = 0; i < 10; i++) {
            assertThat(getJson("/api/ledger/5000").getStatusCode().value()).isEqualTo(404);
            assertThat(getJson("/api/ledger/abc").getStatusCode().value()).isEqualTo(400);
        }

        Map<String, Object> circuit = circuitFromActuator(ANNOTATED_CIRCUIT);

        assertThat(circuit).containsEntry("state", "CLOSED");
        assertThat(circuit).containsEntry("failureCount", 0);
        assertThat(downstreamRequests()).isEqualTo(20);
        assertThat(getJson("/api/ledger/1").getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void injectedClientErrorIsNotRetried() {
        setDownstream(Map.of("fault", "status", "status", 404));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger/1");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(downstreamRequests()).isEqualTo(1);
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("failureCount", 0);
    }
}
