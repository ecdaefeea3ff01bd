package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * The control API of the fault-injecting downstream validates plans and keeps the previous plan on bad input.
 */
class DownstreamControlApiTests extends SampleIntegrationTest {

    @Test
    void invalidPlanIsRejectedAndChangesNothing() {
        setDownstream(Map.of("fault", "status", "status", 503, "times", 1));

        ResponseEntity<Map<String, Object>> response = this.http.exchange("/downstream/control", HttpMethod.POST,
                new HttpEntity<>(Map.of("fault", "status", "status", 200)), JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getBody()).containsEntry("detail",
                "status must be an error status from 400 to 599 but was 200; use fault 'none' for normal responses");
        Map<String, Object> control = getJson("/downstream/control").getBody();
        assertThat(control).containsEntry("fault", "status");
        assertThat(control).containsEntry("remainingFaults", 1);
    }

    @Test
    void unreadableBodyIsRejected() {
        ResponseEntity<Map<String, Object>> response = this.http.exchange("/downstream/control", HttpMethod.POST,
                new HttpEntity<>("[1, 2]", jsonHeaders()), JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void controlShowsPlanAndCounter() {
        setDownstream(Map.of("fault", "status", "status", 429, "retryAfter", "5", "latency", "250ms", "times", 2));
        getJson("/api/ledger-programmatic/1");

        Map<String, Object> control = getJson("/downstream/control").getBody();

        assertThat(control).containsEntry("fault", "status");
        assertThat(control).containsEntry("status", 429);
        assertThat(control).containsEntry("retryAfter", "5");
        assertThat(control).containsEntry("latency", "250ms");
        assertThat(control).containsEntry("times", 2);
        assertThat(control).containsEntry("listening", true);
        assertThat(control).containsEntry("port", this.downstream.getPort());
    }

    @Test
    void requestCounterResets() {
        getJson("/api/ledger/1");
        getJson("/api/ledger/2");

        ResponseEntity<Map<String, Object>> reset = this.http.exchange("/downstream/requests", HttpMethod.DELETE,
                null, JSON_OBJECT);

        assertThat(reset.getBody()).containsEntry("before", 2);
        assertThat(reset.getBody()).containsEntry("requests", 0);
        assertThat(downstreamRequests()).isZero();
    }

    private static org.springframework.http.HttpHeaders jsonHeaders() {
        org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
        headers.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        return headers;
    }
}
