package dev.auditretry.benchmarks;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The smallest Spring Boot application that applies {@code @AuditRetryable}: auto-configuration, no web server,
 * and the circuit settings of {@link ComparableSettings} that the properties can express (the count rule).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class AspectApplication {

    @Bean
    AuditedClient auditedClient() {
        return new AuditedClient();
    }

    /** Starts the application; the caller closes it. */
    static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(AspectApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("audit.retry.max-attempts=" + ComparableSettings.MAX_ATTEMPTS,
                        "audit.retry.circuit-breaker.monitoring-window=" + ComparableSettings.WINDOW.toSeconds() + "s",
                        "audit.retry.circuit-breaker.minimum-request-threshold=" + ComparableSettings.MINIMUM_CALLS,
                        "audit.retry.circuit-breaker.recovery-timeout="
                                + ComparableSettings.OPEN_DURATION.toSeconds() + "s",
                        "audit.retry.circuit-breaker.half-open-max-calls=1")
                .run();
    }
}
