package dev.auditretry.autoconfigure;

import dev.auditretry.autoconfigure.aop.AuditRetryableConfiguration;
import dev.auditretry.autoconfigure.aop.ReactorRetryableConfiguration;
import dev.auditretry.core.DelayScheduler;
import dev.auditretry.core.EndpointOverride;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.RetryListener;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.Sleeper;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.classify.DefaultErrorClassifier;
import dev.auditretry.core.classify.ErrorClassifier;
import dev.auditretry.core.classify.HttpStatusExtractor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of audit-retry: a {@link RetryManager} built from the {@code audit.retry} properties, the
 * status extractors of Spring's HTTP clients, and the advice that applies {@code @AuditRetryable}.
 * <p>
 * The manager picks up these beans of the application when they exist: a single {@link ErrorClassifier}
 * (otherwise a {@link DefaultErrorClassifier} that consults every {@link HttpStatusExtractor} bean), a single
 * {@link Sleeper}, a single {@link DelayScheduler} (with Reactor on the classpath, one that waits on Reactor's
 * parallel scheduler is the default), every {@link RetryListener} in order, and a {@link Clock} qualified with
 * {@link AuditRetryClock}. With {@code audit.retry.enabled=false} the manager still exists and every call makes one
 * attempt through its circuit.
 */
@AutoConfiguration
@EnableConfigurationProperties(AuditRetryProperties.class)
@Import({ HttpClientErrorsConfiguration.class, AuditRetryableConfiguration.class,
        ReactorRetryableConfiguration.class })
public class AuditRetryAutoConfiguration {

    /**
     * Creates the manager shared by {@code @AuditRetryable} methods and by code that calls it directly.
     * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException if a
     *         property under {@code audit.retry} has an invalid value
     */
    @Bean
    @ConditionalOnMissingBean
    public RetryManager auditRetryManager(AuditRetryProperties properties,
            ResourceLoader resourceLoader, ObjectProvider<ErrorClassifier> classifier,
            ObjectProvider<HttpStatusExtractor> extractors, @AuditRetryClock ObjectProvider<Clock> clock,
            ObjectProvider<Sleeper> sleeper, ObjectProvider<DelayScheduler> delayScheduler,
            ObjectProvider<RetryListener> listeners) {
        AuditRetrySettings settings = new AuditRetrySettings(properties, resourceLoader.getClassLoader());
        RetryConfig retryConfig = settings.retryConfig();
        CircuitBreakerConfig circuitBreakerConfig = settings.circuitBreakerConfig();
        Map<String, EndpointOverride> overrides = settings.endpointOverrides(retryConfig, circuitBreakerConfig);

        RetryManager.Builder builder = RetryManager.builder()
                .retryConfig(retryConfig)
                .circuitBreakerConfig(circuitBreakerConfig)
                .classifier(classifier.getIfUnique(() -> defaultClassifier(extractors)));
        overrides.forEach(builder::endpointOverride);
        clock.ifAvailable(builder::clock);
        sleeper.ifUnique(builder::sleeper);
        delayScheduler.ifUnique(builder::delayScheduler);
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }

    /**
     * Checks the names of the properties under audit.retry before any bean is created. The keys under
     * audit.retry.endpoints come first, because binding a broken key fails with a message that does not point at
     * the cause. Then every name must be known, because Spring Boot ignores a misspelled one.
     */
    @Bean
    static BeanFactoryPostProcessor auditRetryPropertyNamesCheck(Environment environment) {
        return (beanFactory) -> {
            AuditRetrySettings.checkEndpointKeys(environment);
            UnknownPropertiesCheck.check(environment);
        };
    }

    private static ErrorClassifier defaultClassifier(ObjectProvider<HttpStatusExtractor> extractors) {
        List<HttpStatusExtractor> ordered = extractors.orderedStream().toList();
        return new DefaultErrorClassifier(ordered);
    }
}
