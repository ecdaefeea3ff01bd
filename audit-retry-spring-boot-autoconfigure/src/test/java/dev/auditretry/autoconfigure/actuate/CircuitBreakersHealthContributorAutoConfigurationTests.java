package dev.auditretry.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class CircuitBreakersHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class, CircuitBreakersHealthContributorAutoConfiguration.class))
            .withUserConfiguration(RetryManagerConfiguration.class);

    @Test
    void reportsUpWithOpenCircuitByDefault() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasBean("circuitBreakersHealthIndicator");
            openCircuit(context.getBean(RetryManager.class));

            HealthEndpoint health = context.getBean(HealthEndpoint.class);

            assertThat(health.healthForPath("circuitBreakers").getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void reportsDownWhenOpenCircuitAffectsHealth() {
        this.contextRunner.withPropertyValues("audit.retry.health.affecting-circuits= /ledger/entries:POST , /other")
                .run((context) -> {
                    assertThat(context.getBean(AuditRetryHealthProperties.class).affectingCircuits())
                            .containsExactly("/ledger/entries:POST", "/other");
                    openCircuit(context.getBean(RetryManager.class));

                    HealthEndpoint health = context.getBean(HealthEndpoint.class);

                    assertThat(health.healthForPath("circuitBreakers").getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                });
    }

    @Test
    void failsAtStartupForBlankAffectingCircuit() {
        this.contextRunner.withPropertyValues("audit.retry.health.affecting-circuits[0]=/ledger/entries:POST",
                "audit.retry.health.affecting-circuits[1]= ")
                .run((context) -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("audit.retry.health.affecting-circuits")
                        .hasMessageContaining("Remove the blank entry"));
    }

    @Test
    void createsNoIndicatorWhenDisabled() {
        this.contextRunner.withPropertyValues("management.health.circuitbreakers.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersHealthIndicator.class));
    }

    @Test
    void createsNoIndicatorWithoutActuatorHealth() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersHealthIndicator.class));
    }

    @Test
    void createsNoIndicatorWithoutRetryManager() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CircuitBreakersHealthContributorAutoConfiguration.class))
                .run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersHealthIndicator.class));
    }

    @Test
    void backsOffToUserIndicator() {
        this.contextRunner
                .withBean("circuitBreakersHealthIndicator", HealthIndicator.class,
                        () -> () -> org.springframework.boot.actuate.health.Health.outOfService().build())
                .run((context) -> {
                    assertThat(context).doesNotHaveBean(CircuitBreakersHealthIndicator.class);
                    assertThat(context.getBean(HealthEndpoint.class).healthForPath("circuitBreakers").getStatus())
                            .isEqualTo(Status.OUT_OF_SERVICE);
                });
    }

    private static void openCircuit(RetryManager retryManager) {
        CircuitBreakersTestApplication.openCircuit(retryManager, RetryContext.of("/ledger/entries", "POST"));
    }

    @Configuration(proxyBeanMethods = false)
    static class RetryManagerConfiguration {

        @Bean
        RetryManager retryManager() {
            return RetryManager.builder()
                    .retryConfig(RetryConfig.builder().maxAttempts(1).build())
                    .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1).minimumRequestThreshold(1)
                            .build())
                    .sleeper((duration) -> { })
                    .build();
        }
    }

}
