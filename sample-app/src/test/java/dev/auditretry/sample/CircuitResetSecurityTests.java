package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * Reads of the actuator endpoints are open; resetting a circuit needs the operator's credentials.
 */
class CircuitResetSecurityTests extends SampleIntegrationTest {

    @BeforeEach
    void openAnnotatedCircuit() {
        setDownstream(Map.of("fault", "status", "status", 503));
        getJson("/api/ledger/1");
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("state", "OPEN");
        setDownstream(Map.of("fault", "none"));
    }

    @Test
    void resetWithoutCredentialsIsRejected() {
        ResponseEntity<Map<String, Object>> response = this.http.exchange("/actuator/circuitbreakers/ledger:GET",
                HttpMethod.POST, null, JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("state", "OPEN");
        assertThat(getJson("/api/ledger/1").getStatusCode().value()).isEqualTo(503);
    }

    @Test
    void resetWithWrongPasswordIsRejected() {
        ResponseEntity<Map<String, Object>> response = this.http.withBasicAuth("operator", "not-the-password")
                .exchange("/actuator/circuitbreakers/ledger:GET", HttpMethod.POST, null, JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("state", "OPEN");
    }

    @Test
    void resetAllWithoutCredentialsIsRejected() {
        ResponseEntity<Map<String, Object>> response = this.http.exchange("/actuator/circuitbreakers",
                HttpMethod.POST, null, JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(401);
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("state", "OPEN");
    }

    @Test
    void resetWithOperatorClosesCircuit() {
        long requestsBefore = downstreamRequests();

        ResponseEntity<Map<String, Object>> response = this.http.withBasicAuth("operator", OPERATOR_PASSWORD)
                .exchange("/actuator/circuitbreakers/ledger:GET", HttpMethod.POST, null, JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).containsEntry("state", "CLOSED");
        assertThat(response.getBody()).containsEntry("failureCount", 0);
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("state", "CLOSED");
        assertThat(getJson("/api/ledger/1").getStatusCode().value()).isEqualTo(200);
        assertThat(downstreamRequests()).isEqualTo(requestsBefore + 1);
    }

    @Test
    void resetAllWithOperatorClosesCircuits() {
        ResponseEntity<Map<String, Object>> response = this.http.withBasicAuth("operator", OPERATOR_PASSWORD)
                .exchange("/actuator/circuitbreakers", HttpMethod.POST, null, JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).containsEntry("resetCount", 1);
        assertThat(circuitFromActuator(ANNOTATED_CIRCUIT)).containsEntry("state", "CLOSED");
    }

    @Test
    void readsNeedNoCredentials() {
        assertThat(getJson("/actuator/circuitbreakers").getStatusCode().value()).isEqualTo(200);
        assertThat(getJson("/actuator/health").getStatusCode().value()).isEqualTo(200);
        assertThat(getJson("/actuator/metrics").getStatusCode().value()).isEqualTo(200);

        ResponseEntity<String> prometheus = this.http.getForEntity("/actuator/prometheus", String.class);

        assertThat(prometheus.getStatusCode().value()).isEqualTo(200);
        assertThat(prometheus.getBody()).contains("audit_retry_calls_total");
        assertThat(prometheus.getBody()).contains("audit_retry_circuit_state");
    }

    @Test
    void unknownCircuitResetIsNotFound() {
        ResponseEntity<Map<String, Object>> response = this.http.withBasicAuth("operator", OPERATOR_PASSWORD)
                .exchange("/actuator/circuitbreakers/no-such-circuit:GET", HttpMethod.POST, null, JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(this.retryManager.getCircuitKeys()).doesNotContain("no-such-circuit:GET", "/no-such-circuit:GET");
    }
}
