package dev.auditretry.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.RetryManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class CircuitBreakersEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CircuitBreakersEndpointAutoConfiguration.class))
            .withUserConfiguration(RetryManagerConfiguration.class);

    @Test
    void createsBothWhenExposedOverWeb() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers")
                .run((context) -> assertThat(context).hasSingleBean(CircuitBreakersEndpoint.class)
                        .hasSingleBean(CircuitBreakersEndpointWebExtension.class));
    }

    @Test
    void skipsWebExtensionWhenJmxOnly() {
        this.contextRunner
                .withPropertyValues("spring.jmx.enabled=true",
                        "management.endpoints.jmx.exposure.include=circuitbreakers")
                .run((context) -> assertThat(context).hasSingleBean(CircuitBreakersEndpoint.class)
                        .doesNotHaveBean(CircuitBreakersEndpointWebExtension.class));
    }

    @Test
    void createsNoEndpointWhenNotExposed() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class)
                .doesNotHaveBean(CircuitBreakersEndpointWebExtension.class));
    }

    @Test
    void createsNoEndpointWhenAccessIsNone() {
        this.contextRunner
                .withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers",
                        "management.endpoint.circuitbreakers.access=NONE")
                .run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class));
    }

    @Test
    void createsNoEndpointWithoutRetryManager() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CircuitBreakersEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers")
                .run((context) -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class));
    }

    @Test
    void createsNoEndpointWithoutActuator() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers")
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CircuitBreakersEndpoint.class));
    }

    @Test
    void backsOffWhenUserDefinesEndpoint() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers")
                .withBean("userEndpoint", CircuitBreakersEndpoint.class, () -> new CircuitBreakersEndpoint(
                        RetryManager.builder().build()))
                .run((context) -> assertThat(context).hasSingleBean(CircuitBreakersEndpoint.class)
                        .hasBean("userEndpoint"));
    }

    @Configuration(proxyBeanMethods = false)
    static class RetryManagerConfiguration {

        @Bean
        RetryManager retryManager() {
            return RetryManager.builder().sleeper((duration) -> { }).build();
        }
    }
}
