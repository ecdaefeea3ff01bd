package dev.auditretry.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class CircuitBreakersHealthIndicatorTests {

    private static final RetryContext ENTRIES = RetryContext.of("/ledger/entries", "POST");

    private static final RetryContext BALANCE = RetryContext.of("/ledger/balance");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    private final RetryManager retryManager = RetryManager.builder()
            .retryConfig(RetryConfig.builder().maxAttempts(1).build())
            .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(2).minimumRequestThreshold(2)
                    .recoveryTimeout(Duration.ofSeconds(30)).build())
            .clock(this.clock)
            .sleeper(this.clock.sleeper())
            .build();

    @Test
    void staysUpWithOpenCircuitByDefault() {
        CircuitBreakersHealthIndicator indicator = new CircuitBreakersHealthIndicator(this.retryManager, List.of());
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        CircuitBreakersTestApplication.succeed(this.retryManager, BALANCE);

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(circuit(health, "/ledger/entries:POST")).containsEntry("state", "OPEN")
                .containsEntry("affectsHealth", false)
                .containsEntry("nextRetryTime", this.clock.instant().plusSeconds(30).toString());
        assertThat(circuit(health, "/ledger/balance:GET")).containsEntry("state", "CLOSED")
                .doesNotContainKey("nextRetryTime");
    }

    @Test
    void reportsUpWithoutCircuits() {
        CircuitBreakersHealthIndicator indicator = new CircuitBreakersHealthIndicator(this.retryManager,
                List.of("/ledger/entries:POST"));

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).isEmpty();
    }

    @Test
    void reportsDownWhenAffectingCircuitIsOpen() {
        CircuitBreakersHealthIndicator indicator = new CircuitBreakersHealthIndicator(this.retryManager,
                List.of("/ledger/entries:POST"));
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(circuit(health, "/ledger/entries:POST")).containsEntry("affectsHealth", true);
    }

    @Test
    void matchesMethodWrittenInLowerCase() {
        CircuitBreakersHealthIndicator indicator = new CircuitBreakersHealthIndicator(this.retryManager,
                List.of("/ledger/entries:post"));
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(circuit(health, "/ledger/entries:POST")).containsEntry("affectsHealth", true);
    }

    @Test
    void matchesEndpointWithoutMethodToGetCircuit() {
        CircuitBreakersHealthIndicator indicator = new CircuitBreakersHealthIndicator(this.retryManager,
                List.of("/ledger/balance"));
        CircuitBreakersTestApplication.openCircuit(this.retryManager, BALANCE);
        CircuitBreakersTestApplication.openCircuit(this.retryManager, RetryContext.of("/ledger/balance", "PUT"));

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(circuit(health, "/ledger/balance:GET")).containsEntry("affectsHealth", true);
        assertThat(circuit(health, "/ledger/balance:PUT")).containsEntry("affectsHealth", false);
    }

    @Test
    void reportsUnknownWhileAffectingCircuitIsHalfOpen() {
        CircuitBreakersHealthIndicator indicator = new CircuitBreakersHealthIndicator(this.retryManager,
                List.of("/ledger/entries:POST"));
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        this.clock.advance(Duration.ofSeconds(30));
        AtomicReference<Health> duringTrial = new AtomicReference<>();

        this.retryManager.execute(ENTRIES, () -> duringTrial.getAndSet(indicator.health()));

        assertThat(duringTrial.get().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(circuit(duringTrial.get(), "/ledger/entries:POST")).containsEntry("state", "HALF_OPEN");
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void openWinsOverHalfOpen() {
        CircuitBreakersHealthIndicator indicator = new CircuitBreakersHealthIndicator(this.retryManager,
                List.of("/ledger/entries:POST", "/ledger/balance:GET"));
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        this.clock.advance(Duration.ofSeconds(30));
        CircuitBreakersTestApplication.openCircuit(this.retryManager, BALANCE);
        AtomicReference<Health> duringTrial = new AtomicReference<>();

        this.retryManager.execute(ENTRIES, () -> duringTrial.getAndSet(indicator.health()));

        assertThat(duringTrial.get().getStatus()).isEqualTo(Status.DOWN);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> circuit(Health health, String key) {
        return (Map<String, Object>) health.getDetails().get(key);
    }
}
