package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * The asynchronous path: @AuditRetryable on a method that returns a Mono from WebClient.
 */
class AsyncLedgerTests extends SampleIntegrationTest {

    @Test
    void retriesTwo503sWithScheduledWaits() {
        setDownstream(Map.of("fault", "status", "status", 503, "times", 2));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-async/42");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).containsEntry("id", "42");
        assertThat(downstreamRequests()).isEqualTo(3);
        assertThat(this.delayScheduler.getDelays()).hasSize(2);
        assertThat(this.sleeper.getWaits()).isEmpty();
        assertThat(callCount(ASYNC_CIRCUIT, "success_after_retry")).isEqualTo(1.0);
    }

    @Test
    void waitsAsLongAsRetryAfterAsks() {
        setDownstream(Map.of("fault", "status", "status", 503, "retryAfter", "2", "times", 1));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-async/42");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(this.delayScheduler.getDelays()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void retriesAConnectionResetMidResponse() {
        setDownstream(Map.of("fault", "disconnect", "times", 1));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-async/42");

        assertThat(response.getStatusCode().value()).as("response %s", response.getBody()).isEqualTo(200);
        assertThat(downstreamRequests()).isEqualTo(2);
    }

    @Test
    void reportsPersistentResetAsNetworkError() {
        setDownstream(Map.of("fault", "disconnect"));

        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-async/42");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody()).containsEntry("networkError", "ECONNRESET");
        assertThat(downstreamRequests()).isEqualTo(3);
    }

    @Test
    void doesNotRetryNotFound() {
        ResponseEntity<Map<String, Object>> response = getJson("/api/ledger-async/5000");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(downstreamRequests()).isEqualTo(1);
        assertThat(callCount(ASYNC_CIRCUIT, "failed_without_retry")).isEqualTo(1.0);
    }

    @Test
    void outageOpensTheCircuitAndRejectsWithoutCallingTheDownstream() {
        setDownstream(Map.of("fault", "status", "status", 503));
        for (int call = 0; call < 2; call++) {
            getJson("/api/ledger-async/1");
        }
        long requestsWhenOpen = downstreamRequests();

        ResponseEntity<Map<String, Object>> rejected = getJson("/api/ledger-async/1");

        assertThat(circuitFromActuator(ASYNC_CIRCUIT)).containsEntry("state", "OPEN");
        assertThat(rejected.getStatusCode().value()).isEqualTo(503);
        assertThat(rejected.getBody()).containsEntry("title", "Circuit open");
        assertThat(downstreamRequests()).isEqualTo(requestsWhenOpen);
    }
}
