package dev.auditretry.autoconfigure.actuate;

import static dev.auditretry.autoconfigure.actuate.CircuitBreakersTestApplication.BALANCE;
import static dev.auditretry.autoconfigure.actuate.CircuitBreakersTestApplication.ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(classes = CircuitBreakersTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "spring.jmx.enabled=true",
                "management.endpoints.web.exposure.include=circuitbreakers,health",
                "management.endpoints.jmx.exposure.include=circuitbreakers",
                "management.endpoint.health.show-details=always",
                "audit.retry.health.affecting-circuits=/ledger/entries:POST" })
class CircuitBreakersEndpointWebTests {

    private static final HttpClient client = HttpClient.newHttpClient();

    private static final ObjectMapper objectMapper = new ObjectMapper();

    @LocalServerPort
    private int port;

    @Autowired
    private RetryManager retryManager;

    @Autowired
    private ManualClock clock;

    @BeforeEach
    void removeCircuits() {
        CircuitBreakersTestApplication.removeAllCircuits(this.retryManager);
    }

    @Test
    void listsEveryCircuitWithStateCountsAndSettings() throws Exception {
        CircuitBreakersTestApplication.succeed(this.retryManager, BALANCE);
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode circuits = json(response).get("circuitBreakers");
        assertThat(circuits).hasSize(2);

        JsonNode balance = circuits.get(0);
        assertThat(balance.get("key").asText()).isEqualTo("/ledger/balance:GET");
        assertThat(balance.get("state").asText()).isEqualTo("CLOSED");
        assertThat(balance.get("failureCount").isNumber()).isTrue();
        assertThat(balance.get("failureCount").asLong()).isZero();
        assertThat(balance.get("successCount").asLong()).isEqualTo(1);
        assertThat(balance.get("totalRequests").asLong()).isEqualTo(1);
        assertThat(balance.has("lastFailureTime")).isFalse();
        assertThat(balance.has("nextRetryTime")).isFalse();
        assertThat(balance.at("/settings/circuitBreaker/recoveryTimeoutMillis").isNumber()).isTrue();
        assertThat(balance.at("/settings/circuitBreaker/recoveryTimeoutMillis").asLong()).isEqualTo(30_000);
        assertThat(balance.at("/settings/retry/maxRetryAfterMillis").isNumber()).isTrue();
        assertThat(balance.at("/settings/retry/maxRetryAfterMillis").asLong()).isEqualTo(30_000);
        assertThat(balance.at("/settings/retry").has("maxElapsedMillis")).isFalse();
        assertThat(balance.at("/settings/retry/retryBudget/enabled").isBoolean()).isTrue();
        assertThat(balance.at("/settings/retry/retryBudget/enabled").asBoolean()).isFalse();
        assertThat(balance.at("/settings/retry/retryBudget/percent").asDouble()).isEqualTo(20.0);
        assertThat(balance.at("/settings/retry/retryBudget/windowMillis").asLong()).isEqualTo(10_000);
        assertThat(balance.at("/settings/retry/retryBudget/minRetriesPerSecond").asDouble()).isEqualTo(1.0);
        assertThat(balance.at("/settings/retry/retryBudget").size()).isEqualTo(4);
        assertThat(balance.at("/settings/retry/nonIdempotentMethods").toString()).isEqualTo("[\"PATCH\",\"POST\"]");
        assertThat(balance.at("/settings/retry/idempotent").isBoolean()).isTrue();
        assertThat(balance.at("/settings/retry/idempotent").asBoolean()).isFalse();
        assertThat(balance.at("/settings/retry").size()).isEqualTo(12);
        assertThat(balance.at("/settings/circuitBreaker/failureRateThreshold").isNumber()).isTrue();
        assertThat(balance.at("/settings/circuitBreaker/failureRateThreshold").asDouble()).isZero();
        assertThat(balance.at("/settings/circuitBreaker/recoveryBackoffMultiplier").asDouble()).isEqualTo(1.0);
        assertThat(balance.at("/settings/circuitBreaker").has("maxRecoveryTimeoutMillis")).isFalse();
        assertThat(balance.at("/settings/circuitBreaker/maxCircuits").asInt()).isEqualTo(1000);
        assertThat(balance.at("/settings/circuitBreaker").size()).isEqualTo(10);

        JsonNode entries = circuits.get(1);
        String now = this.clock.instant().toString();
        assertThat(entries.get("key").asText()).isEqualTo("/ledger/entries:POST");
        assertThat(entries.get("state").asText()).isEqualTo("OPEN");
        assertThat(entries.get("failureCount").asLong()).isEqualTo(2);
        assertThat(entries.get("successCount").asLong()).isZero();
        assertThat(entries.get("totalRequests").asLong()).isEqualTo(2);
        assertThat(entries.get("lastFailureTime").asText()).isEqualTo(now);
        assertThat(entries.get("nextRetryTime").asText()).isEqualTo(this.clock.instant().plusSeconds(45).toString());
        assertThat(entries.at("/settings/circuitBreaker/recoveryTimeoutMillis").asLong()).isEqualTo(45_000);
        assertThat(entries.at("/settings/circuitBreaker/failureThreshold").asInt()).isEqualTo(2);
        assertThat(entries.at("/settings/circuitBreaker/clientErrors").asText()).isEqualTo("IGNORE");
        assertThat(entries.at("/settings/retry/maxAttempts").asInt()).isEqualTo(1);
        assertThat(entries.at("/settings/retry/initialDelayMillis").asLong()).isEqualTo(1_000);
        assertThat(entries.at("/settings/retry/jitter").asText()).isEqualTo("FULL");
        assertThat(entries.at("/settings/retry/retryableStatusCodes").toString())
                .isEqualTo("[408,429,500,502,503,504]");
        assertThat(entries.at("/settings/retry/maxElapsedMillis").isNumber()).isTrue();
        assertThat(entries.at("/settings/retry/maxElapsedMillis").asLong()).isEqualTo(20_000);
        assertThat(entries.at("/settings/retry/idempotent").asBoolean()).isTrue();
        assertThat(entries.at("/settings/retry").size()).isEqualTo(13);
        assertThat(entries.at("/settings/circuitBreaker/maxRecoveryTimeoutMillis").isNumber()).isTrue();
        assertThat(entries.at("/settings/circuitBreaker/maxRecoveryTimeoutMillis").asLong()).isEqualTo(90_000);
        assertThat(entries.at("/settings/circuitBreaker/failureRateThreshold").asDouble()).isEqualTo(50.0);
        assertThat(entries.at("/settings/circuitBreaker").size()).isEqualTo(11);
    }

    @Test
    void listsNoCircuitsBeforeFirstCall() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("circuitBreakers")).isEmpty();
    }

    @Test
    void readsCircuitByPathWithImpliedLeadingSlash() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers/ledger/entries:POST");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("key").asText()).isEqualTo("/ledger/entries:POST");
        assertThat(json(response).get("state").asText()).isEqualTo("OPEN");
    }

    @Test
    void readsCircuitByPathWithDoubledSlash() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers//ledger/entries:POST");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("key").asText()).isEqualTo("/ledger/entries:POST");
    }

    @Test
    void rejectsEncodedSlashInPath() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers/%2Fledger%2Fentries:POST");

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void readsGetCircuitByEndpointWithoutMethod() throws Exception {
        CircuitBreakersTestApplication.succeed(this.retryManager, BALANCE);

        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers/ledger/balance");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("key").asText()).isEqualTo("/ledger/balance:GET");
    }

    @Test
    void prefersExactKeyWithoutLeadingSlash() throws Exception {
        CircuitBreakersTestApplication.succeed(this.retryManager, BALANCE);
        CircuitBreakersTestApplication.succeed(this.retryManager, RetryContext.of("ledger/balance"));

        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers/ledger/balance:GET");

        assertThat(json(response).get("key").asText()).isEqualTo("ledger/balance:GET");
    }

    @Test
    void readOfUnknownKeyIsNotFound() throws Exception {
        CircuitBreakersTestApplication.succeed(this.retryManager, BALANCE);

        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers/ledger/missing:GET");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).contains("No circuit matches 'ledger/missing:GET'")
                .contains("with a leading '/' added");
        assertThat(this.retryManager.getCircuitKeys()).containsExactly("/ledger/balance:GET");
    }

    @Test
    void resetClosesOneCircuit() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        CircuitBreakersTestApplication.openCircuit(this.retryManager, BALANCE);

        HttpResponse<String> response = send("POST", "/actuator/circuitbreakers/ledger/entries:POST");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode circuit = json(response);
        assertThat(circuit.get("key").asText()).isEqualTo("/ledger/entries:POST");
        assertThat(circuit.get("state").asText()).isEqualTo("CLOSED");
        assertThat(circuit.get("failureCount").asLong()).isZero();
        assertThat(circuit.get("successCount").asLong()).isZero();
        assertThat(circuit.get("totalRequests").asLong()).isZero();
        assertThat(circuit.has("lastFailureTime")).isFalse();
        assertThat(circuit.has("nextRetryTime")).isFalse();
        assertThat(this.retryManager.getCircuitBreakerStats("/ledger/balance:GET").orElseThrow().state().name())
                .isEqualTo("OPEN");

        CircuitBreakersTestApplication.succeed(this.retryManager, ENTRIES);
        JsonNode afterCall = json(send("GET", "/actuator/circuitbreakers/ledger/entries:POST"));
        assertThat(afterCall.get("successCount").asLong()).isEqualTo(1);
    }

    @Test
    void resetsWithoutBodyOrContentType() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        HttpRequest request = HttpRequest.newBuilder(uri("/actuator/circuitbreakers/ledger/entries:POST"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("state").asText()).isEqualTo("CLOSED");
    }

    @Test
    void resetOfUnknownKeyIsNotFound() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("POST", "/actuator/circuitbreakers/ledger/missing:POST");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).contains("ledger/missing:POST");
        assertThat(this.retryManager.getCircuitKeys()).containsExactly("/ledger/entries:POST");
        assertThat(this.retryManager.getCircuitBreakerStats("/ledger/entries:POST").orElseThrow().state().name())
                .isEqualTo("OPEN");
    }

    @Test
    void resetsAllCircuits() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        CircuitBreakersTestApplication.openCircuit(this.retryManager, BALANCE);

        HttpResponse<String> response = send("POST", "/actuator/circuitbreakers");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("resetCount").asInt()).isEqualTo(2);
        JsonNode circuits = json(send("GET", "/actuator/circuitbreakers")).get("circuitBreakers");
        for (JsonNode circuit : circuits) {
            assertThat(circuit.get("state").asText()).isEqualTo("CLOSED");
            assertThat(circuit.get("totalRequests").asLong()).isZero();
            assertThat(circuit.has("nextRetryTime")).isFalse();
        }
    }

    @Test
    void blankKeyIsBadRequest() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> read = send("GET", "/actuator/circuitbreakers/%20");
        HttpResponse<String> reset = send("POST", "/actuator/circuitbreakers/%20");

        assertThat(read.statusCode()).isEqualTo(400);
        assertThat(json(read).get("message").asText()).contains("must not be blank");
        assertThat(reset.statusCode()).isEqualTo(400);
        assertThat(this.retryManager.getCircuitKeys()).containsExactly("/ledger/entries:POST");
    }

    @Test
    void trailingSlashIsBadRequest() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("POST", "/actuator/circuitbreakers/");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).contains("key is missing");
        assertThat(this.retryManager.getCircuitBreakerStats("/ledger/entries:POST").orElseThrow().state().name())
                .isEqualTo("OPEN");
    }

    @Test
    void malformedBodyIsBadRequest() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        HttpRequest request = HttpRequest.newBuilder(uri("/actuator/circuitbreakers/ledger/entries:POST"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(this.retryManager.getCircuitBreakerStats("/ledger/entries:POST").orElseThrow().state().name())
                .isEqualTo("OPEN");
    }

    @Test
    void resetRejectsKeyInBody() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        HttpRequest request = HttpRequest.newBuilder(uri("/actuator/circuitbreakers/ledger/missing:POST"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"ledger/entries:POST\"}")).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).contains("takes no request body");
        assertThat(this.retryManager.getCircuitBreakerStats("/ledger/entries:POST").orElseThrow().state().name())
                .isEqualTo("OPEN");
    }

    @Test
    void rejectsKeyQueryParameter() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> reset = send("POST", "/actuator/circuitbreakers/ledger/missing:POST?key=ledger/entries:POST");
        HttpResponse<String> read = send("GET", "/actuator/circuitbreakers/ledger/missing:POST?key=ledger/entries:POST");

        assertThat(reset.statusCode()).isEqualTo(400);
        assertThat(json(reset).get("message").asText()).contains("Remove the 'key' parameter");
        assertThat(read.statusCode()).isEqualTo(400);
        assertThat(this.retryManager.getCircuitBreakerStats("/ledger/entries:POST").orElseThrow().state().name())
                .isEqualTo("OPEN");
    }

    @Test
    void resetAllRejectsKeyParameterAndBody() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        HttpRequest withBody = HttpRequest.newBuilder(uri("/actuator/circuitbreakers"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"ledger/entries:POST\"}")).build();

        HttpResponse<String> withParameter = send("POST", "/actuator/circuitbreakers?key=ledger/entries:POST");
        HttpResponse<String> bodyResponse = client.send(withBody, HttpResponse.BodyHandlers.ofString());

        assertThat(withParameter.statusCode()).isEqualTo(400);
        assertThat(bodyResponse.statusCode()).isEqualTo(400);
        assertThat(this.retryManager.getCircuitBreakerStats("/ledger/entries:POST").orElseThrow().state().name())
                .isEqualTo("OPEN");
    }

    @Test
    void findsKeyWithLowerCaseMethod() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("GET", "/actuator/circuitbreakers/ledger/entries:post");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("key").asText()).isEqualTo("/ledger/entries:POST");
    }

    @Test
    void deleteIsMethodNotAllowed() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("DELETE", "/actuator/circuitbreakers/ledger/entries:POST");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(this.retryManager.getCircuitKeys()).containsExactly("/ledger/entries:POST");
    }

    @Test
    void keepsHealthUpWhenUnaffectingCircuitIsOpen() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, BALANCE);

        HttpResponse<String> response = send("GET", "/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = json(response);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/circuitBreakers/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/circuitBreakers/details/~1ledger~1balance:GET/state").asText())
                .isEqualTo("OPEN");
        assertThat(health.at("/components/circuitBreakers/details/~1ledger~1balance:GET/affectsHealth")
                .asBoolean()).isFalse();
    }

    @Test
    void reportsHealthDownWhenAffectingCircuitIsOpen() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        HttpResponse<String> response = send("GET", "/actuator/health");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode health = json(response);
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/components/circuitBreakers/status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/components/circuitBreakers/details/~1ledger~1entries:POST/nextRetryTime").asText())
                .isEqualTo(this.clock.instant().plus(Duration.ofSeconds(45)).toString());
    }

    @Test
    void reportsHealthUpAgainAfterReset() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        assertThat(send("GET", "/actuator/health").statusCode()).isEqualTo(503);

        send("POST", "/actuator/circuitbreakers/ledger/entries:POST");

        assertThat(send("GET", "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(Set.of("/ledger/entries:POST")).isEqualTo(this.retryManager.getCircuitKeys());
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json")
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return objectMapper.readTree(response.body());
    }
}
