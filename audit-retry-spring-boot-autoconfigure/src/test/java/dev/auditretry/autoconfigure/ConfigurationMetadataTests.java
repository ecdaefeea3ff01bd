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
        assertThat(properties).hasSizeGreaterThanOrEqualTo(17);
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

    private static java.util.List<String> hintValues(String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        hints.get(name).get("values").forEach((value) -> {
            assertThat(value.path("description").asText()).isNotBlank();
            values.add(value.get("value").asText());
        });
        return values;
    }
}
