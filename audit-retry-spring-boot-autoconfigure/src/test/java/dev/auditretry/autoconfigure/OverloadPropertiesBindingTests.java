package dev.auditretry.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.RetryBudgetConfig;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

/**
 * Binds each overload protection property globally and for one circuit, and reads the settings that calls use
 * from the manager: the endpoint's circuit gets the override, every other circuit the global value.
 */
class OverloadPropertiesBindingTests {

    private static final String ENDPOINT = "audit.retry.endpoints.[/ledger/entries:POST].";

    private static final RetryContext ENTRIES = RetryContext.of("/ledger/entries", "POST");

    private static final RetryContext OTHER = RetryContext.of("/ledger/balance");

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AuditRetryAutoConfiguration.class));

    @Test
    void defaultsEqualCoreDefaults() {
        this.contextRunner.run((context) -> {
            RetryManager manager = context.getBean(RetryManager.class);
            RetryConfig retry = manager.getEffectiveConfig(ENTRIES);
            CircuitBreakerConfig circuit = manager.getEffectiveCircuitBreakerConfig(ENTRIES);

            assertThat(retry.maxRetryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(retry.maxElapsed()).isNull();
            assertThat(retry.retryBudget()).isEqualTo(RetryBudgetConfig.DEFAULT);
            assertThat(retry.nonIdempotentMethods()).isEqualTo(RetryConfig.DEFAULT_NON_IDEMPOTENT_METHODS);
            assertThat(retry.idempotent()).isFalse();
            assertThat(circuit.failureRateThreshold()).isZero();
            assertThat(circuit.recoveryBackoffMultiplier()).isEqualTo(1.0);
            assertThat(circuit.maxRecoveryTimeout()).isNull();
            assertThat(circuit.maxCircuits()).isEqualTo(CircuitBreakerConfig.DEFAULT_MAX_CIRCUITS);
            assertThat(retry).isEqualTo(RetryConfig.defaults());
            assertThat(circuit).isEqualTo(CircuitBreakerConfig.defaults());
        });
    }

    @Test
    void bindsMaxRetryAfter() {
        run(Map.of("audit.retry.max-retry-after", "2m", ENDPOINT + "max-retry-after", "0"), (manager) -> {
            assertThat(manager.getEffectiveConfig(OTHER).maxRetryAfter()).isEqualTo(Duration.ofMinutes(2));
            assertThat(manager.getEffectiveConfig(ENTRIES).maxRetryAfter()).isEqualTo(Duration.ZERO);
        });
    }

    @Test
    void bindsMaxElapsed() {
        run(Map.of("audit.retry.max-elapsed", "20s", ENDPOINT + "max-elapsed", "1500"), (manager) -> {
            assertThat(manager.getEffectiveConfig(OTHER).maxElapsed()).isEqualTo(Duration.ofSeconds(20));
            assertThat(manager.getEffectiveConfig(ENTRIES).maxElapsed()).isEqualTo(Duration.ofMillis(1500));
        });
    }

    @Test
    void bindsMaxElapsedOfEndpointWithoutGlobalDeadline() {
        run(Map.of(ENDPOINT + "max-elapsed", "5s"), (manager) -> {
            assertThat(manager.getEffectiveConfig(OTHER).maxElapsed()).isNull();
            assertThat(manager.getEffectiveConfig(ENTRIES).maxElapsed()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void bindsRetryBudget() {
        run(Map.of("audit.retry.retry-budget.enabled", "true", "audit.retry.retry-budget.percent", "50",
                "audit.retry.retry-budget.window", "30s", "audit.retry.retry-budget.min-retries-per-second", "0.5",
                ENDPOINT + "retry-budget.percent", "5", ENDPOINT + "retry-budget.min-retries-per-second", "0"),
                (manager) -> {
                    assertThat(manager.getEffectiveConfig(OTHER).retryBudget())
                            .isEqualTo(new RetryBudgetConfig(true, 50, Duration.ofSeconds(30), 0.5));
                    assertThat(manager.getEffectiveConfig(ENTRIES).retryBudget())
                            .isEqualTo(new RetryBudgetConfig(true, 5, Duration.ofSeconds(30), 0));
                });
    }

    @Test
    void bindsRetryBudgetOfEndpointOnly() {
        run(Map.of(ENDPOINT + "retry-budget.enabled", "TRUE", ENDPOINT + "retry-budget.window", "1m"),
                (manager) -> {
                    assertThat(manager.getEffectiveConfig(OTHER).retryBudget()).isEqualTo(RetryBudgetConfig.DEFAULT);
                    assertThat(manager.getEffectiveConfig(ENTRIES).retryBudget())
                            .isEqualTo(new RetryBudgetConfig(true, 20, Duration.ofMinutes(1), 1));
                });
    }

    @Test
    void bindsNonIdempotentMethods() {
        run(Map.of("audit.retry.non-idempotent-methods", "post, patch ,put", ENDPOINT + "non-idempotent-methods", ""),
                (manager) -> {
                    assertThat(manager.getEffectiveConfig(OTHER).nonIdempotentMethods())
                            .containsExactlyInAnyOrder("POST", "PATCH", "PUT");
                    assertThat(manager.getEffectiveConfig(ENTRIES).nonIdempotentMethods()).isEmpty();
                    assertThat(manager.getEffectiveConfig(ENTRIES).isRepeatable("POST")).isTrue();
                });
    }

    @Test
    void bindsIdempotent() {
        run(Map.of("audit.retry.idempotent", "false", ENDPOINT + "idempotent", "true"), (manager) -> {
            assertThat(manager.getEffectiveConfig(OTHER).idempotent()).isFalse();
            assertThat(manager.getEffectiveConfig(RetryContext.of("/ledger/balance", "POST")).isRepeatable("POST"))
                    .isFalse();
            assertThat(manager.getEffectiveConfig(ENTRIES).idempotent()).isTrue();
            assertThat(manager.getEffectiveConfig(ENTRIES).isRepeatable("POST")).isTrue();
        });
    }

    @Test
    void bindsGlobalIdempotent() {
        run(Map.of("audit.retry.idempotent", "True"), (manager) -> {
            assertThat(manager.getEffectiveConfig(OTHER).idempotent()).isTrue();
            assertThat(manager.getEffectiveConfig(ENTRIES).isRepeatable("POST")).isTrue();
        });
    }

    @Test
    void bindsFailureRateThreshold() {
        run(Map.of("audit.retry.circuit-breaker.failure-rate-threshold", "50",
                ENDPOINT + "circuit-breaker.failure-rate-threshold", "12.5"), (manager) -> {
                    assertThat(manager.getEffectiveCircuitBreakerConfig(OTHER).failureRateThreshold()).isEqualTo(50);
                    assertThat(manager.getEffectiveCircuitBreakerConfig(OTHER).usesFailureRate()).isTrue();
                    assertThat(manager.getEffectiveCircuitBreakerConfig(ENTRIES).failureRateThreshold())
                            .isEqualTo(12.5);
                });
    }

    @Test
    void bindsRecoveryBackoffMultiplier() {
        run(Map.of("audit.retry.circuit-breaker.recovery-backoff-multiplier", "2",
                ENDPOINT + "circuit-breaker.recovery-backoff-multiplier", "1.5"), (manager) -> {
                    assertThat(manager.getEffectiveCircuitBreakerConfig(OTHER).recoveryBackoffMultiplier())
                            .isEqualTo(2.0);
                    assertThat(manager.getEffectiveCircuitBreakerConfig(ENTRIES).recoveryBackoffMultiplier())
                            .isEqualTo(1.5);
                    assertThat(manager.getEffectiveCircuitBreakerConfig(OTHER).openDuration(2))
                            .isEqualTo(Duration.ofMinutes(4));
                });
    }

    @Test
    void bindsMaxRecoveryTimeout() {
        run(Map.of("audit.retry.circuit-breaker.max-recovery-timeout", "5m",
                ENDPOINT + "circuit-breaker.recovery-timeout", "10s",
                ENDPOINT + "circuit-breaker.max-recovery-timeout", "40s"), (manager) -> {
                    assertThat(manager.getEffectiveCircuitBreakerConfig(OTHER).maxRecoveryTimeout())
                            .isEqualTo(Duration.ofMinutes(5));
                    assertThat(manager.getEffectiveCircuitBreakerConfig(ENTRIES).maxRecoveryTimeout())
                            .isEqualTo(Duration.ofSeconds(40));
                });
    }

    @Test
    void bindsMaxCircuitsGlobally() {
        run(Map.of("audit.retry.circuit-breaker.max-circuits", "25"), (manager) -> {
            assertThat(manager.getCircuitBreakerConfig().maxCircuits()).isEqualTo(25);
            assertThat(manager.getEffectiveCircuitBreakerConfig(ENTRIES).maxCircuits()).isEqualTo(25);
        });
    }

    @Test
    void bindsOverridesFromYaml() {
        this.contextRunner.withInitializer(PropertyFiles.load("endpoints/overload.yml")).run((context) -> {
            RetryManager manager = context.getBean(RetryManager.class);
            RetryConfig entries = manager.getEffectiveConfig(ENTRIES);
            CircuitBreakerConfig entriesCircuit = manager.getEffectiveCircuitBreakerConfig(ENTRIES);

            assertThat(manager.getConfig().maxElapsed()).isEqualTo(Duration.ofSeconds(10));
            assertThat(manager.getConfig().nonIdempotentMethods()).containsExactlyInAnyOrder("POST", "PATCH",
                    "PUT");
            assertThat(entries.idempotent()).isTrue();
            assertThat(entries.maxRetryAfter()).isEqualTo(Duration.ofSeconds(5));
            assertThat(entries.retryBudget()).isEqualTo(new RetryBudgetConfig(true, 10, Duration.ofSeconds(10), 1));
            assertThat(entriesCircuit.failureRateThreshold()).isEqualTo(25);
            assertThat(entriesCircuit.recoveryBackoffMultiplier()).isEqualTo(3.0);
            assertThat(entriesCircuit.maxRecoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
            assertThat(manager.getCircuitBreakerConfig().maxCircuits()).isEqualTo(200);
        });
    }

    // TestPropertyValues splits a pair at its first ':', so keys with a colon go in through a property source.
    private void run(Map<String, String> properties, Consumer<RetryManager> assertions) {
        Map<String, Object> source = new LinkedHashMap<>(properties);
        this.contextRunner
                .withInitializer((context) -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("test", source)))
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    assertions.accept(context.getBean(RetryManager.class));
                });
    }
}
