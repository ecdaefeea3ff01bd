package dev.auditretry.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.auditretry.autoconfigure.aop.AuditRetryableAdvisor;
import dev.auditretry.autoconfigure.aop.AuditRetryableConfiguration;
import dev.auditretry.core.CallOutcome;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryExhaustedException;
import dev.auditretry.core.RetryListener;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.ClientErrorHandling;
import dev.auditretry.core.classify.ErrorCategory;
import dev.auditretry.core.classify.ErrorClassifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClientResponseException;

class AuditRetryAutoConfigurationTests {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AuditRetryAutoConfiguration.class));

    @Test
    void createsRetryManagerWithCoreDefaults() {
        this.contextRunner.run((context) -> {
            RetryManager manager = context.getBean(RetryManager.class);

            assertThat(manager.getConfig()).isEqualTo(RetryConfig.defaults());
            assertThat(manager.getCircuitBreakerConfig()).isEqualTo(CircuitBreakerConfig.defaults());
            assertThat(context).hasSingleBean(AuditRetryableAdvisor.class);
            assertThat(context).hasSingleBean(RestClientStatusExtractor.class);
            assertThat(context).hasSingleBean(WebClientStatusExtractor.class);
        });
    }

    @Test
    void bindsGlobalProperties() {
        this.contextRunner.withPropertyValues("audit.retry.max-attempts=6", "audit.retry.initial-delay=500ms",
                "audit.retry.max-delay=1m", "audit.retry.backoff-multiplier=1.5", "audit.retry.jitter=decorrelated",
                "audit.retry.retryable-status-codes=502,503", "audit.retry.retryable-errors=econnreset,"
                        + "java.io.IOException", "audit.retry.circuit-breaker.failure-threshold=2",
                "audit.retry.circuit-breaker.recovery-timeout=2s", "audit.retry.circuit-breaker.monitoring-window=90000",
                "audit.retry.circuit-breaker.minimum-request-threshold=4",
                "audit.retry.circuit-breaker.half-open-max-calls=2",
                "audit.retry.circuit-breaker.client-errors=record-as-failure")
                .run((context) -> {
                    RetryConfig retry = context.getBean(RetryManager.class).getConfig();
                    CircuitBreakerConfig circuit = context.getBean(RetryManager.class).getCircuitBreakerConfig();

                    assertThat(retry.maxAttempts()).isEqualTo(6);
                    assertThat(retry.initialDelay()).isEqualTo(Duration.ofMillis(500));
                    assertThat(retry.maxDelay()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(retry.backoffMultiplier()).isEqualTo(1.5);
                    assertThat(retry.jitter()).isEqualTo(Jitter.DECORRELATED);
                    assertThat(retry.retryableStatusCodes()).containsExactlyInAnyOrder(502, 503);
                    assertThat(retry.retryableErrors()).containsExactlyInAnyOrder("ECONNRESET", "java.io.IOException");
                    assertThat(circuit.failureThreshold()).isEqualTo(2);
                    assertThat(circuit.recoveryTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(circuit.monitoringWindow()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(circuit.minimumRequestThreshold()).isEqualTo(4);
                    assertThat(circuit.halfOpenMaxCalls()).isEqualTo(2);
                    assertThat(circuit.clientErrors()).isEqualTo(ClientErrorHandling.RECORD_AS_FAILURE);
                });
    }

    @Test
    void bindsEndpointOverridesFromPropertiesFile() {
        this.contextRunner.withInitializer(PropertyFiles.load("endpoints/overrides.properties"))
                .run((context) -> assertEndpointOverrides(context.getBean(RetryManager.class)));
    }

    @Test
    void bindsEndpointOverridesFromYamlFile() {
        this.contextRunner.withInitializer(PropertyFiles.load("endpoints/overrides.yml"))
                .run((context) -> assertEndpointOverrides(context.getBean(RetryManager.class)));
    }

    private static void assertEndpointOverrides(RetryManager manager) {
        RetryContext post = RetryContext.of("/ledger/entries", "POST");
        RetryContext get = RetryContext.of("/ledger/entries", "GET");
        RetryContext put = RetryContext.of("/audit/events", "PUT");

        assertThat(manager.getEffectiveConfig(post).maxAttempts()).isEqualTo(5);
        assertThat(manager.getEffectiveConfig(post).initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(manager.getEffectiveCircuitBreakerConfig(post).failureThreshold()).isEqualTo(3);
        assertThat(manager.getEffectiveCircuitBreakerConfig(post).minimumRequestThreshold()).isEqualTo(10);
        assertThat(manager.getEffectiveConfig(get).maxAttempts()).isEqualTo(4);
        assertThat(manager.getEffectiveConfig(get).initialDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(manager.getEffectiveConfig(get).retryableStatusCodes()).containsExactly(503);
        assertThat(manager.getEffectiveCircuitBreakerConfig(get).failureThreshold()).isEqualTo(5);
        assertThat(manager.getEffectiveConfig(put).jitter()).isEqualTo(Jitter.NONE);
        assertThat(manager.getEffectiveConfig(RetryContext.of("/other")).maxAttempts()).isEqualTo(4);
    }

    @Test
    void endpointOverrideFollowsLaterGlobalChanges() {
        this.contextRunner.withInitializer(PropertyFiles.load("endpoints/overrides.properties")).run((context) -> {
            RetryManager manager = context.getBean(RetryManager.class);
            RetryContext post = RetryContext.of("/ledger/entries", "POST");

            manager.updateConfig(manager.getConfig().toBuilder().initialDelay(Duration.ofMillis(100)).build());

            assertThat(manager.getEffectiveConfig(post).initialDelay()).isEqualTo(Duration.ofMillis(100));
            assertThat(manager.getEffectiveConfig(post).maxAttempts()).isEqualTo(5);
        });
    }

    @Test
    void usesApplicationSleeperListenerClassifierAndQualifiedClock() {
        this.contextRunner.withUserConfiguration(TimeConfiguration.class, ClassifierConfiguration.class)
                .withPropertyValues("audit.retry.jitter=none", "audit.retry.initial-delay=200ms",
                        "audit.retry.circuit-breaker.failure-threshold=1",
                        "audit.retry.circuit-breaker.minimum-request-threshold=1")
                .run((context) -> {
                    RetryManager manager = context.getBean(RetryManager.class);
                    RecordingSleeper sleeper = context.getBean(RecordingSleeper.class);
                    Events events = context.getBean(Events.class);
                    AtomicInteger attempts = new AtomicInteger();

                    assertThatExceptionOfType(CircuitBreakerOpenException.class)
                            .isThrownBy(() -> manager.execute("/ledger", () -> {
                                attempts.incrementAndGet();
                                throw new IllegalStateException("classified as transient by the application");
                            }))
                            .satisfies((rejected) -> assertThat(rejected.getNextRetryTime())
                                    .contains(START.plusSeconds(60)));

                    assertThat(attempts).hasValue(1);
                    assertThat(sleeper.waits()).isEmpty();
                    assertThat(events.outcomes).containsExactly(CallOutcome.REJECTED);
                });
    }

    @Test
    void waitsThroughApplicationSleeper() {
        this.contextRunner.withUserConfiguration(TimeConfiguration.class)
                .withPropertyValues("audit.retry.jitter=none", "audit.retry.initial-delay=200ms")
                .run((context) -> {
                    RetryManager manager = context.getBean(RetryManager.class);

                    assertThatExceptionOfType(RetryExhaustedException.class).isThrownBy(
                            () -> manager.execute("/ledger", () -> {
                                throw new HttpStatusException(503);
                            }));

                    assertThat(context.getBean(RecordingSleeper.class).waits())
                            .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
                });
    }

    @Test
    void ignoresUnqualifiedClock() {
        this.contextRunner.withUserConfiguration(UnqualifiedClockConfiguration.class)
                .withPropertyValues("audit.retry.max-attempts=1", "audit.retry.circuit-breaker.failure-threshold=1",
                        "audit.retry.circuit-breaker.minimum-request-threshold=1")
                .run((context) -> {
                    RetryManager manager = context.getBean(RetryManager.class);

                    assertThatExceptionOfType(HttpStatusException.class).isThrownBy(
                            () -> manager.execute("/ledger", () -> {
                                throw new HttpStatusException(503);
                            }));

                    assertThatExceptionOfType(CircuitBreakerOpenException.class)
                            .isThrownBy(() -> manager.execute("/ledger", () -> "never called"))
                            .satisfies((rejected) -> assertThat(rejected.getNextRetryTime().orElseThrow())
                                    .isAfter(START.plusSeconds(3600)));
                });
    }

    @Test
    void backsOffWhenApplicationDefinesRetryManager() {
        this.contextRunner.withUserConfiguration(CustomManagerConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(RetryManager.class);
            assertThat(context.getBean(RetryManager.class).getConfig().maxAttempts()).isEqualTo(9);
        });
    }

    @Test
    void disabledRetryingMakesOneAttempt() {
        this.contextRunner.withPropertyValues("audit.retry.enabled=false").run((context) -> {
            RetryManager manager = context.getBean(RetryManager.class);
            AtomicInteger attempts = new AtomicInteger();

            assertThatExceptionOfType(HttpStatusException.class).isThrownBy(() -> manager.execute("/ledger", () -> {
                attempts.incrementAndGet();
                throw new HttpStatusException(503);
            }));

            assertThat(attempts).hasValue(1);
            assertThat(manager.getConfig().enabled()).isFalse();
            assertThat(manager.getCircuitBreakerStats("/ledger"))
                    .hasValueSatisfying((stats) -> assertThat(stats.failureCount()).isEqualTo(1));
        });
    }

    @Test
    void createsNoAdvisorWithoutSpringAop() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Advisor.class)).run((context) -> {
            assertThat(context).hasSingleBean(RetryManager.class);
            assertThat(context).doesNotHaveBean(AuditRetryableAdvisor.class);
        });
    }

    @Test
    void createsNoWebClientExtractorWithoutWebFlux() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(WebClientResponseException.class))
                .run((context) -> {
                    assertThat(context).hasSingleBean(RestClientStatusExtractor.class);
                    assertThat(context).doesNotHaveBean(WebClientStatusExtractor.class);
                });
    }

    @Test
    void ordersAdvisorOutsideTransactionsByDefault() {
        this.contextRunner.run((context) -> {
            assertThat(context.getBean(AuditRetryableAdvisor.class).getOrder())
                    .isEqualTo(AuditRetryableConfiguration.DEFAULT_ORDER)
                    .isEqualTo(Integer.parseInt(AuditRetryProperties.DEFAULT_ASPECT_ORDER))
                    .isLessThan(Integer.MAX_VALUE);
            assertThat(context.getBean(AuditRetryProperties.class).aspectOrder())
                    .isEqualTo(AuditRetryableConfiguration.DEFAULT_ORDER);
        });
    }

    @Test
    void ordersAdvisorByProperty() {
        this.contextRunner.withPropertyValues("audit.retry.aspect-order=42")
                .run((context) -> assertThat(context.getBean(AuditRetryableAdvisor.class).getOrder()).isEqualTo(42));
    }

    @Configuration(proxyBeanMethods = false)
    static class TimeConfiguration {

        @Bean
        @AuditRetryClock
        MutableClock auditRetryClock() {
            return new MutableClock(START);
        }

        @Bean
        RecordingSleeper recordingSleeper(MutableClock clock) {
            return new RecordingSleeper(clock);
        }

        @Bean
        Events events() {
            return new Events();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClassifierConfiguration {

        @Bean
        ErrorClassifier illegalStateIsTransient() {
            return (failure, config) -> (failure instanceof IllegalStateException) ? ErrorCategory.TRANSIENT
                    : ErrorCategory.PERMANENT;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnqualifiedClockConfiguration {

        @Bean
        Clock fixedClock() {
            return Clock.fixed(START, java.time.ZoneOffset.UTC);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomManagerConfiguration {

        @Bean
        RetryManager customManager() {
            return RetryManager.create(RetryConfig.builder().maxAttempts(9).build());
        }
    }

    static class Events implements RetryListener {

        final List<CallOutcome> outcomes = new CopyOnWriteArrayList<>();

        @Override
        public void onCallFinished(RetryContext context, CallOutcome outcome, int attempts, Duration elapsed,
                Throwable error) {
            this.outcomes.add(outcome);
        }
    }
}
