package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.RetryManager;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers the advisor that applies {@code @AuditRetryable}, the startup checks of annotated beans, and an
 * auto-proxy creator when no other configuration registered one. Asynchronous return types besides
 * {@code CompletableFuture} and {@code CompletionStage}, such as those of {@link ReactorRetryableConfiguration}, come
 * from beans. Spring Boot's AOP auto-configuration, when active,
 * upgrades that creator to class-based proxies.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.aop.Advisor")
@Import(AuditRetryableConfiguration.AutoProxyRegistrar.class)
public class AuditRetryableConfiguration {

    /** Order of the advice when audit.retry.aspect-order is not set: just outside {@code @Transactional}. */
    public static final int DEFAULT_ORDER = Integer.MAX_VALUE - 1;

    /**
     * Creates the advisor. It reads its order from the environment rather than from the properties bean and looks up
     * the manager at the first call, because advisors are created early, while post-processors are registered.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static AuditRetryableAdvisor auditRetryableAdvisor(Environment environment,
            ObjectProvider<RetryManager> retryManager, ObjectProvider<AsyncReturnType> asyncReturnTypes) {
        int order = Binder.get(environment).bind("audit.retry.aspect-order", Integer.class).orElse(DEFAULT_ORDER);
        return new AuditRetryableAdvisor(environment, retryManager, order,
                () -> asyncReturnTypes.orderedStream().toList());
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static AuditRetryableChecker auditRetryableChecker(Environment environment,
            ObjectProvider<AsyncReturnType> asyncReturnTypes) {
        return new AuditRetryableChecker(environment, () -> asyncReturnTypes.orderedStream().toList());
    }

    /**
     * Registers an auto-proxy creator if none exists, as {@code @EnableTransactionManagement} does.
     */
    static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
