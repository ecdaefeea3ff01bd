package dev.auditretry.sample;

import dev.auditretry.autoconfigure.AuditRetryClock;
import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Gives the auto-configured RetryManager a clock that tests advance, and a sleeper and a delay scheduler that
 * advance it, so that no test waits for a backoff or a recovery timeout.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTimeConfiguration {

    @Bean
    @AuditRetryClock
    MutableClock auditRetryClock() {
        return new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
    }

    @Bean
    AdvancingSleeper advancingSleeper(@AuditRetryClock MutableClock clock) {
        return new AdvancingSleeper(clock);
    }

    @Bean
    AdvancingDelayScheduler advancingDelayScheduler(@AuditRetryClock MutableClock clock) {
        return new AdvancingDelayScheduler(clock);
    }
}
