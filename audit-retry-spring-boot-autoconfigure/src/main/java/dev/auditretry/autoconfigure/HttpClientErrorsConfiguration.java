package dev.auditretry.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the status extractors of Spring's HTTP clients that are on the classpath. The default error
 * classifier consults every {@code HttpStatusExtractor} bean.
 */
@Configuration(proxyBeanMethods = false)
class HttpClientErrorsConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.client.RestClientResponseException")
    static class RestClientErrorsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RestClientStatusExtractor auditRetryRestClientStatusExtractor() {
            return new RestClientStatusExtractor();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClientResponseException")
    static class WebClientErrorsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        WebClientStatusExtractor auditRetryWebClientStatusExtractor() {
            return new WebClientStatusExtractor();
        }
    }
}
