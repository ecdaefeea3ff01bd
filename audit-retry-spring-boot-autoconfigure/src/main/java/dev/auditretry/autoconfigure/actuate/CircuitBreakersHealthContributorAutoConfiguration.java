package dev.auditretry.autoconfigure.actuate;

import dev.auditretry.core.RetryManager;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Creates the {@code circuitBreakers} health contributor when the actuator's health support is on the classpath,
 * a {@link RetryManager} exists and {@code management.health.circuitbreakers.enabled} is not false.
 */
@AutoConfiguration(afterName = "dev.auditretry.autoconfigure.AuditRetryAutoConfiguration")
@ConditionalOnClass(name = { "org.springframework.boot.actuate.health.HealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator" })
@ConditionalOnBean(RetryManager.class)
@ConditionalOnEnabledHealthIndicator("circuitbreakers")
@EnableConfigurationProperties(AuditRetryHealthProperties.class)
public class CircuitBreakersHealthContributorAutoConfiguration {

    // The bean name minus its HealthIndicator suffix is the contributor name under /actuator/health.
    @Bean
    @ConditionalOnMissingBean(name = "circuitBreakersHealthIndicator")
    CircuitBreakersHealthIndicator circuitBreakersHealthIndicator(RetryManager retryManager,
            AuditRetryHealthProperties properties) {
        return new CircuitBreakersHealthIndicator(retryManager, properties.affectingCircuits());
    }
}
