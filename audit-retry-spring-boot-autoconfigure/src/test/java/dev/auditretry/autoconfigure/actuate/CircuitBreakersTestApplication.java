package dev.auditretry.autoconfigure.actuate;

import dev.auditretry.core.EndpointOverride;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application of the HTTP and JMX tests: a RetryManager on a manual clock whose circuits open after 2
 * failures among 2 requests, for 30 s, except /ledger/entries:POST, which stays open for 45 s. That circuit also
 * sets a deadline, a recovery backoff cap, a failure rate threshold and idempotent.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CircuitBreakersTestApplication {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static final RetryContext ENTRIES = RetryContext.of("/ledger/entries", "POST");

    static final RetryContext BALANCE = RetryContext.of("/ledger/balance");

    @Bean
    ManualClock manualClock() {
        return new ManualClock(START);
    }

    @Bean
    RetryManager retryManager(ManualClock clock) {
        return RetryManager.builder()
                .retryConfig(RetryConfig.builder().maxAttempts(1).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(2).minimumRequestThreshold(2)
                        .recoveryTimeout(Duration.ofSeconds(30)).build())
                .endpointOverride(ENTRIES.getCircuitKey(), new EndpointOverride(
                        (global) -> global.toBuilder().maxElapsed(Duration.ofSeconds(20)).idempotent(true).build(),
                        (global) -> global.toBuilder().recoveryTimeout(Duration.ofSeconds(45))
                                .maxRecoveryTimeout(Duration.ofSeconds(90)).failureRateThreshold(50).build()))
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
    }

    /** Fails calls with 503 until the circuit of the context is open. */
    static void openCircuit(RetryManager retryManager, RetryContext context) {
        for (int call = 0; call < 10; call++) {
            try {
                retryManager.execute(context, () -> {
                    throw new HttpStatusException(503);
                });
            }
            catch (CircuitBreakerOpenException ex) {
                return;
            }
            catch (HttpStatusException ex) {
                // Expected until the circuit opens.
            }
        }
        throw new IllegalStateException("Circuit '" + context.getCircuitKey() + "' did not open after 10 failures");
    }

    static void succeed(RetryManager retryManager, RetryContext context) {
        retryManager.execute(context, () -> "ok");
    }

    static void removeAllCircuits(RetryManager retryManager) {
        retryManager.getCircuitKeys().forEach(retryManager::removeCircuitBreaker);
    }
}
