package dev.auditretry.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryListener;
import dev.auditretry.core.RetryManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class AuditRetryMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    AuditRetryMetricsAutoConfiguration.class));

    @Test
    void bindsMetricsToAutoConfiguredRegistry() {
        this.contextRunner.withUserConfiguration(RetryManagerConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(AuditRetryMetrics.class);

            context.getBean(RetryManager.class).execute(RetryContext.of("/ledger/entries", "POST"), () -> "ok");

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("audit.retry.calls").tag("endpoint", "/ledger/entries:POST")
                    .tag("outcome", "success_without_retry").counter().count()).isEqualTo(1.0);
        });
    }

    @Test
    void doesNotRegisterRetryListenerBean() {
        this.contextRunner.withUserConfiguration(RetryManagerConfiguration.class)
                .run((context) -> assertThat(context).doesNotHaveBean(RetryListener.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        this.contextRunner.withUserConfiguration(RetryManagerConfiguration.class)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AuditRetryMetrics.class));
    }

    @Test
    void backsOffWithoutMeterRegistryBean() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AuditRetryMetricsAutoConfiguration.class))
                .withUserConfiguration(RetryManagerConfiguration.class)
                .run((context) -> assertThat(context).doesNotHaveBean(AuditRetryMetrics.class));
    }

    @Test
    void backsOffWithoutRetryManager() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(AuditRetryMetrics.class));
    }

    @Test
    void backsOffWhenUserDefinesMetrics() {
        this.contextRunner.withUserConfiguration(RetryManagerConfiguration.class, UserMetricsConfiguration.class)
                .run((context) -> assertThat(context).hasSingleBean(AuditRetryMetrics.class)
                        .getBean(AuditRetryMetrics.class)
                        .isSameAs(context.getBean(UserMetricsConfiguration.class).metrics));
    }

    @Test
    void usesUserMeterRegistryWithoutMetricsAutoConfiguration() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AuditRetryMetricsAutoConfiguration.class))
                .withUserConfiguration(RetryManagerConfiguration.class)
                .withBean(SimpleMeterRegistry.class)
                .run((context) -> assertThat(context).hasSingleBean(AuditRetryMetrics.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class RetryManagerConfiguration {

        @Bean
        RetryManager retryManager() {
            return RetryManager.builder().sleeper((duration) -> { }).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetricsConfiguration {

        final AuditRetryMetrics metrics;

        UserMetricsConfiguration(RetryManager retryManager) {
            this.metrics = new AuditRetryMetrics(retryManager);
        }

        @Bean
        AuditRetryMetrics userAuditRetryMetrics() {
            return this.metrics;
        }
    }
}
