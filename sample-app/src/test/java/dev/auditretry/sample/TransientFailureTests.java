package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * Transient failures of the downstream are retried until the caller gets the entry.
 */
class TransientFailureTests extends SampleIntegrationTest {

    @Test
    void annotatedCallRetriesTwo503s() {
        setDownstream(Map.of("fault", "status", "status", 503, "times", 2));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger/42");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).containsEntry("id", "42").containsEntry("account", "ACC-0042");
        assertThat(downstreamRequests()).isEqualTo(3);
        assertThat(this.sleeper.getWaits()).hasSize(2);
        assertThat(callCount(ANNOTATED_CIRCUIT, "success_after_retry")).isEqualTo(1.0);
        assertThat(callCount(ANNOTATED_CIRCUIT, "success_without_retry")).isEqualTo(0.0);
        assertThat(callCount(ANNOTATED_CIRCUIT, "failed_after_retry")).isEqualTo(0.0);
    }

    @Test
    void programmaticCallRetriesTwo503s() {
        setDownstream(Map.of("fault", "status", "status", 503, "times", 2));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-programmatic/42");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).containsEntry("id", "42");
        assertThat(downstreamRequests()).isEqualTo(3);
        assertThat(callCount(PROGRAMMATIC_CIRCUIT, "success_after_retry")).isEqualTo(1.0);
    }

    @Test
    void healthyCallSucceedsWithoutRetry() {
        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger/7");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(downstreamRequests()).isEqualTo(1);
        assertThat(this.sleeper.getWaits()).isEmpty();
        assertThat(callCount(ANNOTATED_CIRCUIT, "success_without_retry")).isEqualTo(1.0);
    }

    @Test
    void retryWaitsAsLongAsRetryAfterAsks() {
        setDownstream(Map.of("fault", "status", "status", 503, "retryAfter", "3", "times", 1));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger/42");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(downstreamRequests()).isEqualTo(2);
        assertThat(this.sleeper.getWaits()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void circuitCountsFailuresAndSuccessOfRetriedCall() {
        setDownstream(Map.of("fault", "status", "status", 502, "times", 2));

        getJson("/api/ledger/42");
        Map<String, Object> circuit = circuitFromActuator(ANNOTATED_CIRCUIT);

        assertThat(circuit).containsEntry("state", "CLOSED");
        assertThat(circuit).containsEntry("failureCount", 2);
        assertThat(circuit).containsEntry("successCount", 1);
        assertThat(circuit).containsEntry("totalRequests", 3);
    }
}
