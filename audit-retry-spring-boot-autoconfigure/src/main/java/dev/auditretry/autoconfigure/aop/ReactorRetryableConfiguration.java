package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.DelayScheduler;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import reactor.core.publisher.Mono;

/**
 * Adds Reactor support when reactor-core is on the classpath: {@code @AuditRetryable} methods may return
 * {@link Mono} and {@code Flux}, and the auto-configured manager schedules the waits of asynchronous calls on
 * Reactor's parallel scheduler, unless the application defines a {@link DelayScheduler} bean. Waiting on that
 * scheduler blocks no thread, and {@code StepVerifier.withVirtualTime} replaces it in tests.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Mono.class)
public class ReactorRetryableConfiguration {

    @Bean
    @ConditionalOnMissingBean
    static DelayScheduler auditRetryDelayScheduler() {
        return new ReactorDelayScheduler();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static MonoReturnType auditRetryMonoReturnType() {
        return new MonoReturnType();
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static FluxReturnType auditRetryFluxReturnType() {
        return new FluxReturnType();
    }
}
