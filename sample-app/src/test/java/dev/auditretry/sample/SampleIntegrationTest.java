package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.RetryManager;
import dev.auditretry.sample.downstream.FaultInjectingServer;
import dev.auditretry.sample.downstream.FaultPlan;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Starts the whole sample on random loopback ports, the fault-injecting downstream included, with injected time,
 * and resets the downstream, the circuits and their meters before each test. All subclasses share one context.
 * Metrics export stays on, as in the running application, so that /actuator/prometheus exists.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fault-server.port=0",
        "sample.operator.username=operator",
        "sample.operator.password=" + SampleIntegrationTest.OPERATOR_PASSWORD })
@Import(TestTimeConfiguration.class)
@AutoConfigureObservability(tracing = false)
abstract class SampleIntegrationTest {

    static final String OPERATOR_PASSWORD = "test-operator-password";

    static final String ANNOTATED_CIRCUIT = "/ledger:GET";

    static final String PROGRAMMATIC_CIRCUIT = "/ledger-programmatic:GET";

    static final String ASYNC_CIRCUIT = "/ledger-async:GET";

    static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };

    @Autowired
    TestRestTemplate http;

    @Autowired
    FaultInjectingServer downstream;

    @Autowired
    RetryManager retryManager;

    @Autowired
    MutableClock clock;

    @Autowired
    AdvancingSleeper sleeper;

    @Autowired
    AdvancingDelayScheduler delayScheduler;

    @BeforeEach
    void resetDownstreamAndCircuits() {
        this.downstream.apply(FaultPlan.HEALTHY);
        this.downstream.resetRequestCount();
        for (String key : this.retryManager.getCircuitKeys()) {
            this.retryManager.removeCircuitBreaker(key);
        }
        this.sleeper.clear();
        this.delayScheduler.clear();
    }

    ResponseEntity<Map<String, Object>> getJson(String path) {
        return this.http.exchange(path, HttpMethod.GET, null, JSON_OBJECT);
    }

    /** Returns the circuit as /actuator/circuitbreakers/{key} shows it. */
    Map<String, Object> circuitFromActuator(String key) {
        ResponseEntity<Map<String, Object>> response = getJson("/actuator/circuitbreakers/" + key.substring(1));
        assertThat(response.getStatusCode().value()).as("status of circuit %s", key).isEqualTo(200);
        return response.getBody();
    }

    /** Returns the count of audit.retry.calls for one circuit and outcome, from /actuator/metrics. */
    double callCount(String key, String outcome) {
        URI uri = UriComponentsBuilder.fromPath("/actuator/metrics/audit.retry.calls")
                .queryParam("tag", "endpoint:" + key)
                .queryParam("tag", "outcome:" + outcome)
                .encode()
                .build()
                .toUri();
        ResponseEntity<Map<String, Object>> response = this.http.exchange(uri.toString(), HttpMethod.GET, null,
                JSON_OBJECT);
        assertThat(response.getStatusCode().value()).as("metrics status for %s %s", key, outcome).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> measurement = ((List<Map<String, Object>>) response.getBody()
                .get("measurements")).get(0);
        return ((Number) measurement.get("value")).doubleValue();
    }

    /** Replaces the downstream's plan through its control API, as demo.sh does. */
    void setDownstream(Map<String, Object> plan) {
        ResponseEntity<Map<String, Object>> response = this.http.exchange("/downstream/control", HttpMethod.POST,
                new HttpEntity<>(plan), JSON_OBJECT);
        assertThat(response.getStatusCode().value()).as("control API status for %s", plan).isEqualTo(200);
    }

    /** Returns the downstream's request counter through its control API. */
    long downstreamRequests() {
        ResponseEntity<Map<String, Object>> response = getJson("/downstream/requests");
        return ((Number) response.getBody().get("requests")).longValue();
    }
}
