package dev.auditretry.autoconfigure.metrics;

import dev.auditretry.core.RetryManager;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Creates the {@link AuditRetryMetrics} binder when Micrometer is on the classpath and both a
 * {@link RetryManager} and a {@link MeterRegistry} exist. Spring Boot's metrics auto-configuration binds it to
 * the registry; {@code management.metrics.enable.audit.retry=false} turns every meter off.
 */
@AutoConfiguration(afterName = { "dev.auditretry.autoconfigure.AuditRetryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ RetryManager.class, MeterRegistry.class })
public class AuditRetryMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AuditRetryMetrics auditRetryMetrics(RetryManager retryManager) {
        return new AuditRetryMetrics(retryManager);
    }
}
