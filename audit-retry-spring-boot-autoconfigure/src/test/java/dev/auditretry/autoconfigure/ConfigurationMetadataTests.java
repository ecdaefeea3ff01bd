package dev.auditretry.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the metadata that the configuration processor generated into target/classes, as an IDE would.
 */
class ConfigurationMetadataTests {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    private static final Map<String, JsonNode> properties = new HashMap<>();

    private static final Map<String, JsonNode> hints = new HashMap<>();

    @BeforeAll
    static void readMetadata() throws IOException {
        JsonNode root = new ObjectMapper().readTree(METADATA.toFile());
        root.get("properties").forEach((property) -> properties.put(property.get("name").asText(), property));
        root.get("hints").forEach((hint) -> hints.put(hint.get("name").asText(), hint));
    }

    @Test
    void describesEveryProperty() {
        assertThat(properties).hasSizeGreaterThanOrEqualTo(29);
        properties.forEach((name, property) -> assertThat(property.path("description").asText())
                .as("description of %s", name).isNotBlank().doesNotContain("{@code").endsWith("."));
    }

    @Test
    void describesMaxAttemptsIncludingFirstCall() {
        assertThat(properties.get("audit.retry.max-attempts").get("description").asText())
                .contains("the first call included");
    }

    @Test
    void listsCoreDefaults() {
        assertThat(properties.get("audit.retry.max-attempts").get("defaultValue").asInt()).isEqualTo(3);
        assertThat(properties.get("audit.retry.initial-delay").get("defaultValue").asText()).isEqualTo("1s");
        assertThat(properties.get("audit.retry.max-delay").get("defaultValue").asText()).isEqualTo("30s");
        assertThat(properties.get("audit.retry.jitter").get("defaultValue").asText()).isEqualTo("full");
        assertThat(properties.get("audit.retry.circuit-breaker.recovery-timeout").get("defaultValue").asText())
                .isEqualTo("60s");
        assertThat(properties.get("audit.retry.circuit-breaker.failure-threshold").get("defaultValue").asInt())
                .isEqualTo(5);
    }

    @Test
    void hintsJitterAndClientErrorValues() {
        assertThat(hintValues("audit.retry.jitter")).containsExactly("none", "full", "equal", "decorrelated");
        assertThat(hintValues("audit.retry.circuit-breaker.client-errors")).containsExactly("ignore",
                "record-as-success", "record-as-failure");
    }

    @Test
    void hintsRetryableErrorsAndStatusCodes() {
        assertThat(hintValues("audit.retry.retryable-errors")).contains("ECONNRESET", "ETIMEDOUT", "EPIPE");
        assertThat(hints.get("audit.retry.retryable-errors").get("providers").get(0).get("name").asText())
                .isEqualTo("class-reference");
        assertThat(hintValues("audit.retry.retryable-status-codes")).contains("429", "503");
    }

    @Test
    void describesOverloadProtectionProperties() {
        assertThat(description("audit.retry.max-retry-after")).contains("Retry-After").contains("even above max-delay")
                .contains("bare number means milliseconds");
        assertThat(description("audit.retry.max-elapsed")).contains("waits included").contains("MAX_ELAPSED")
                .contains("Unset by default");
        assertThat(description("audit.retry.retry-budget.enabled")).contains("Off by default");
        assertThat(description("audit.retry.retry-budget.percent")).contains("per 100 first attempts")
                .contains("from 1 to 1000");
        assertThat(description("audit.retry.retry-budget.window")).contains("At least 1s");
        assertThat(description("audit.retry.retry-budget.min-retries-per-second")).contains("Zero or more");
        assertThat(description("audit.retry.non-idempotent-methods")).contains("HTTP 429").contains("HTTP 503")
                .contains("idempotent=true");
        assertThat(description("audit.retry.idempotent")).contains("lifts the rule of")
                .contains("non-idempotent-methods");
        assertThat(description("audit.retry.circuit-breaker.failure-rate-threshold"))
                .contains("replaces the count rule of failure-threshold").contains("minimum-request-threshold");
        assertThat(description("audit.retry.circuit-breaker.recovery-backoff-multiplier"))
                .contains("each failed trial call in a row").contains("resets it");
        assertThat(description("audit.retry.circuit-breaker.max-recovery-timeout"))
                .contains("ten times recovery-timeout");
        assertThat(description("audit.retry.circuit-breaker.max-circuits")).contains("least recently used CLOSED")
                .contains("Global only");
    }

    @Test
    void listsOverloadProtectionDefaults() {
        assertThat(properties.get("audit.retry.max-retry-after").get("defaultValue").asText()).isEqualTo("30s");
        assertThat(properties.get("audit.retry.max-elapsed").has("defaultValue")).isFalse();
        assertThat(properties.get("audit.retry.retry-budget.enabled").get("defaultValue").asText()).isEqualTo("false");
        assertThat(properties.get("audit.retry.retry-budget.percent").get("defaultValue").asDouble()).isEqualTo(20);
        assertThat(properties.get("audit.retry.retry-budget.window").get("defaultValue").asText()).isEqualTo("10s");
        assertThat(properties.get("audit.retry.retry-budget.min-retries-per-second").get("defaultValue").asDouble())
                .isEqualTo(1);
        // The configuration processor writes the default of a record's collection as one string.
        assertThat(properties.get("audit.retry.non-idempotent-methods").get("defaultValue").asText())
                .isEqualTo("[POST, PATCH]");
        assertThat(properties.get("audit.retry.idempotent").get("defaultValue").asText()).isEqualTo("false");
        assertThat(properties.get("audit.retry.circuit-breaker.failure-rate-threshold").get("defaultValue")
                .asDouble()).isZero();
        assertThat(properties.get("audit.retry.circuit-breaker.recovery-backoff-multiplier").get("defaultValue")
                .asDouble()).isEqualTo(1.0);
        assertThat(properties.get("audit.retry.circuit-breaker.max-recovery-timeout").has("defaultValue")).isFalse();
        assertThat(properties.get("audit.retry.circuit-breaker.max-circuits").get("defaultValue").asInt())
                .isEqualTo(1000);
    }

    @Test
    void hintsOverloadProtectionValues() {
        assertThat(hintValues("audit.retry.non-idempotent-methods")).contains("POST", "PATCH", "PUT", "DELETE");
        assertThat(hints.get("audit.retry.non-idempotent-methods").get("providers").get(0).get("name").asText())
                .isEqualTo("any");
        assertThat(hintValues("audit.retry.idempotent")).containsExactly("true", "false");
        assertThat(hintValues("audit.retry.retry-budget.enabled")).containsExactly("true", "false");
    }

    private static String description(String name) {
        assertThat(properties).containsKey(name);
        return properties.get(name).get("description").asText();
    }

    private static java.util.List<String> hintValues(String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        hints.get(name).get("values").forEach((value) -> {
            assertThat(value.path("description").asText()).isNotBlank();
            values.add(value.get("value").asText());
        });
        return values;
    }
}
