package dev.auditretry.autoconfigure.actuate;

import dev.auditretry.core.RetryManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the {@code circuitbreakers} actuator endpoint when the actuator is on the classpath, a
 * {@link RetryManager} exists and the endpoint is available: enabled, and exposed over HTTP
 * ({@code management.endpoints.web.exposure.include}) or JMX ({@code management.endpoints.jmx.exposure.include}
 * with {@code spring.jmx.enabled=true}).
 */
@AutoConfiguration(afterName = "dev.auditretry.autoconfigure.AuditRetryAutoConfiguration")
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean(RetryManager.class)
public class CircuitBreakersEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    CircuitBreakersEndpoint circuitBreakersEndpoint(RetryManager retryManager) {
        return new CircuitBreakersEndpoint(retryManager);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(CircuitBreakersEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = CircuitBreakersEndpoint.class, exposure = EndpointExposure.WEB)
    CircuitBreakersEndpointWebExtension circuitBreakersEndpointWebExtension(CircuitBreakersEndpoint endpoint) {
        return new CircuitBreakersEndpointWebExtension(endpoint);
    }

    /**
     * Registers {@link CircuitBreakersRequestFilter} for servlet applications that expose the endpoint over HTTP.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = { "jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter" })
    @ConditionalOnAvailableEndpoint(endpoint = CircuitBreakersEndpoint.class, exposure = EndpointExposure.WEB)
    static class ServletRequestFilterConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "circuitBreakersRequestFilter")
        FilterRegistrationBean<CircuitBreakersRequestFilter> circuitBreakersRequestFilter(
                ObjectProvider<PathMappedEndpoints> pathMappedEndpoints) {
            EndpointId id = EndpointId.of("circuitbreakers");
            CircuitBreakersRequestFilter filter = new CircuitBreakersRequestFilter(() -> {
                PathMappedEndpoints endpoints = pathMappedEndpoints.getIfAvailable();
                return (endpoints != null) ? endpoints.getPath(id) : null;
            });
            return new FilterRegistrationBean<>(filter);
        }
    }
}
