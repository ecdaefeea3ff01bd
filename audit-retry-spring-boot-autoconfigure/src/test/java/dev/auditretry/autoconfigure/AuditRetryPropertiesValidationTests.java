package dev.auditretry.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.RetryManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

@ExtendWith(OutputCaptureExtension.class)
class AuditRetryPropertiesValidationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AuditRetryAutoConfiguration.class));

    @Test
    void rejectsZeroMaxAttempts() {
        assertRejected("audit.retry.max-attempts", "0", "at least 1", "Set 1 or more; 3 is the default.",
                "audit.retry.max-attempts=0");
    }

    @Test
    void rejectsNegativeMaxAttempts() {
        assertRejected("audit.retry.max-attempts", "-2", "at least 1", "first call included",
                "audit.retry.max-attempts=-2");
    }

    @Test
    void rejectsNegativeInitialDelay() {
        assertRejected("audit.retry.initial-delay", "-1s", "zero or positive", "Set zero or a positive duration; 1s is the default.",
                "audit.retry.initial-delay=-1s");
    }

    @Test
    void rejectsNegativeMaxDelay() {
        assertRejected("audit.retry.max-delay", "-500ms", "zero or positive", "Set zero or a positive duration; 30s is the default.",
                "audit.retry.max-delay=-500");
    }

    @Test
    void emptyDurationKeepsDefault() {
        this.contextRunner.withPropertyValues("audit.retry.initial-delay=").run((context) -> assertThat(
                context.getBean(RetryManager.class).getConfig().initialDelay()).isEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void rejectsMaxDelayShorterThanInitialDelay() {
        assertRejected("audit.retry.max-delay", "1s", "must not be shorter than audit.retry.initial-delay (2s)",
                "Raise max-delay or lower initial-delay", "audit.retry.initial-delay=2s", "audit.retry.max-delay=1s");
    }

    @Test
    void rejectsMultiplierBelowOne() {
        assertRejected("audit.retry.backoff-multiplier", "0.5", "at least 1", "Set 1 or more; 2.0 is the default.",
                "audit.retry.backoff-multiplier=0.5");
    }

    @Test
    void rejectsStatusCodeAbove599() {
        assertRejected("audit.retry.retryable-status-codes", "600", "from 100 to 599", "Replace or remove the entry; 408,429,500,502,503,504 is the default.",
                "audit.retry.retryable-status-codes=503,600");
    }

    @Test
    void rejectsStatusCodeBelow100() {
        assertRejected("audit.retry.retryable-status-codes", "99", "from 100 to 599", "such as 503",
                "audit.retry.retryable-status-codes=99");
    }

    @Test
    void rejectsUnknownJitter() {
        assertRejected("audit.retry.jitter", "fulll", "one of none, full, equal, decorrelated", "Set one of them; full is the default.",
                "audit.retry.jitter=fulll");
    }

    @Test
    void rejectsUnknownNetworkError() {
        assertRejected("audit.retry.retryable-errors", "ECONNRESETT", "ECONNRESET, ECONNREFUSED", "fully qualified",
                "audit.retry.retryable-errors=ECONNRESETT");
    }

    @Test
    void rejectsMissingExceptionClass() {
        assertRejected("audit.retry.retryable-errors", "com.example.MissingException", "No class named",
                "Check the spelling", "audit.retry.retryable-errors=com.example.MissingException");
    }

    @Test
    void rejectsClassThatIsNotAnException() {
        assertRejected("audit.retry.retryable-errors", "java.lang.String", "is not an exception",
                "subclass of java.lang.Throwable", "audit.retry.retryable-errors=java.lang.String");
    }

    @Test
    void rejectsUnknownClientErrorHandling() {
        assertRejected("audit.retry.circuit-breaker.client-errors", "count", "ignore, record-as-success,"
                + " record-as-failure", "one of", "audit.retry.circuit-breaker.client-errors=count");
    }

    @Test
    void rejectsFailureThresholdBelowOne() {
        assertRejected("audit.retry.circuit-breaker.failure-threshold", "0", "at least 1", "Set 1 or more; 5 is the default.",
                "audit.retry.circuit-breaker.failure-threshold=0");
    }

    @Test
    void rejectsMinimumRequestThresholdBelowOne() {
        assertRejected("audit.retry.circuit-breaker.minimum-request-threshold", "0", "at least 1",
                "Set 1 or more; 10 is the default.",
                "audit.retry.circuit-breaker.minimum-request-threshold=0");
    }

    @Test
    void rejectsHalfOpenMaxCallsBelowOne() {
        assertRejected("audit.retry.circuit-breaker.half-open-max-calls", "-1", "at least 1", "one trial call",
                "audit.retry.circuit-breaker.half-open-max-calls=-1");
    }

    @Test
    void rejectsZeroRecoveryTimeout() {
        assertRejected("audit.retry.circuit-breaker.recovery-timeout", "0s", "at least 1ms", "Set 1ms or more; 60s is the default.",
                "audit.retry.circuit-breaker.recovery-timeout=0");
    }

    @Test
    void rejectsZeroMonitoringWindow() {
        assertRejected("audit.retry.circuit-breaker.monitoring-window", "0s", "at least 1ms", "Set 1ms or more; 5m is the default.",
                "audit.retry.circuit-breaker.monitoring-window=0s");
    }

    @Test
    void rejectsValueFromPlaceholder() {
        assertRejected("audit.retry.max-attempts", "0", "at least 1", "Set 1 or more", "ledger.retries=0",
                "audit.retry.max-attempts=${ledger.retries}");
    }

    @Test
    void rejectsInvalidEndpointMaxAttempts() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger/entries:POST].max-attempts", "0", "at least 1",
                "Set 1 or more, or remove it to follow audit.retry.max-attempts.", Map.of("audit.retry.endpoints.[/ledger/entries:POST].max-attempts", "0"));
    }

    @Test
    void rejectsInvalidEndpointFailureThreshold() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger/entries:POST].circuit-breaker.failure-threshold", "0",
                "at least 1", "Set 1 or more, or remove it to follow audit.retry.circuit-breaker.failure-threshold.",
                Map.of("audit.retry.endpoints.[/ledger/entries:POST].circuit-breaker.failure-threshold", "0"));
    }

    @Test
    void rejectsEndpointMaxDelayBelowInitialDelay() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].max-delay", "500ms",
                "must not be shorter than audit.retry.initial-delay (1s)", "Raise max-delay",
                Map.of("audit.retry.endpoints.[/ledger].max-delay", "500ms"));
    }

    @Test
    void rejectsEndpointInitialDelayAboveMaxDelay() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].initial-delay", "1m",
                "must not be longer than audit.retry.max-delay (30s)", "also set audit.retry.endpoints.[/ledger]"
                        + ".max-delay", Map.of("audit.retry.endpoints.[/ledger].initial-delay", "1m"));
    }

    @Test
    void rejectsUnknownEndpointJitterFromPlaceholder() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].jitter", "half", "one of none, full",
                "Set one of them, or remove it to follow audit.retry.jitter.",
                Map.of("ledger.jitter", "half", "audit.retry.endpoints.[/ledger].jitter", "${ledger.jitter}"));
    }

    @Test
    void rejectsNegativeMaxRetryAfter() {
        assertRejected("audit.retry.max-retry-after", "-1s", "zero or positive", "0 gives up at once",
                "audit.retry.max-retry-after=-1s");
    }

    @Test
    void rejectsZeroMaxElapsed() {
        assertRejected("audit.retry.max-elapsed", "0s", "at least 1ms", "without the global property calls have no deadline",
                "audit.retry.max-elapsed=0s");
    }

    @Test
    void rejectsRetryBudgetEnabledThatIsNotBoolean() {
        assertRejected("audit.retry.retry-budget.enabled", "maybe", "true or false", "Set true or false; false is the default.",
                "audit.retry.retry-budget.enabled=maybe");
    }

    @Test
    void rejectsRetryBudgetPercentBelowOne() {
        assertRejected("audit.retry.retry-budget.percent", "0.5", "from 1 to 1000", "20 allows one retry",
                "audit.retry.retry-budget.percent=0.5");
    }

    @Test
    void rejectsRetryBudgetPercentAbove1000() {
        assertRejected("audit.retry.retry-budget.percent", "1001.0", "from 1 to 1000", "Set a value from 1 to 1000; 20 is the default.",
                "audit.retry.retry-budget.percent=1001");
    }

    @Test
    void rejectsRetryBudgetWindowBelowOneSecond() {
        assertRejected("audit.retry.retry-budget.window", "500ms", "at least 1s", "Set 1s or more; 10s is the default.",
                "audit.retry.retry-budget.window=500ms");
    }

    @Test
    void rejectsNegativeMinRetriesPerSecond() {
        assertRejected("audit.retry.retry-budget.min-retries-per-second", "-1.0", "at least 0",
                "0 allows retries only within percent", "audit.retry.retry-budget.min-retries-per-second=-1");
    }

    @Test
    void rejectsNonIdempotentMethodThatIsNotHttpMethod() {
        assertRejected("audit.retry.non-idempotent-methods", "POST;PATCH", "must be an HTTP method",
                "separated by commas", "audit.retry.non-idempotent-methods=POST;PATCH");
    }

    @Test
    void rejectsIdempotentThatIsNotBoolean() {
        assertRejected("audit.retry.idempotent", "yes", "true or false", "Use true only when repeating",
                "audit.retry.idempotent=yes");
    }

    @Test
    void rejectsFailureRateThresholdAbove100() {
        assertRejected("audit.retry.circuit-breaker.failure-rate-threshold", "150.0", "from 0 to 100",
                "0 opens it on failure-threshold failures instead", "audit.retry.circuit-breaker.failure-rate-threshold=150");
    }

    @Test
    void rejectsNegativeFailureRateThreshold() {
        assertRejected("audit.retry.circuit-breaker.failure-rate-threshold", "-5.0", "from 0 to 100", "Set a value from 0 to 100; 0 is the default.",
                "audit.retry.circuit-breaker.failure-rate-threshold=-5");
    }

    @Test
    void rejectsRecoveryBackoffMultiplierBelowOne() {
        assertRejected("audit.retry.circuit-breaker.recovery-backoff-multiplier", "0.5", "at least 1",
                "1 keeps every open time at recovery-timeout",
                "audit.retry.circuit-breaker.recovery-backoff-multiplier=0.5");
    }

    @Test
    void rejectsMaxRecoveryTimeoutShorterThanRecoveryTimeout() {
        assertRejected("audit.retry.circuit-breaker.max-recovery-timeout", "30s",
                "must not be shorter than audit.retry.circuit-breaker.recovery-timeout (1m)",
                "Raise max-recovery-timeout or lower recovery-timeout",
                "audit.retry.circuit-breaker.max-recovery-timeout=30s");
    }

    @Test
    void rejectsMaxCircuitsBelowOne() {
        assertRejected("audit.retry.circuit-breaker.max-circuits", "0", "at least 1", "Set 1 or more; 1000 is the default.",
                "audit.retry.circuit-breaker.max-circuits=0");
    }

    @Test
    void rejectsMaxCircuitsOfEndpoint() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger/entries:POST].circuit-breaker.max-circuits", "50",
                "cannot be set for one circuit", "set audit.retry.circuit-breaker.max-circuits instead",
                Map.of("audit.retry.endpoints.[/ledger/entries:POST].circuit-breaker.max-circuits", "50"));
    }

    @Test
    void rejectsInvalidEndpointMaxRetryAfter() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].max-retry-after", "-2s", "zero or positive",
                "Set zero or a positive duration, or remove it to follow audit.retry.max-retry-after.", Map.of("audit.retry.endpoints.[/ledger].max-retry-after", "-2s"));
    }

    @Test
    void rejectsInvalidEndpointMaxElapsed() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger:GET].max-elapsed", "0s", "at least 1ms",
                "Set 1ms or more, or remove it to follow audit.retry.max-elapsed.", Map.of("audit.retry.endpoints.[/ledger:GET].max-elapsed", "0"));
    }

    @Test
    void rejectsInvalidEndpointRetryBudget() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].retry-budget.enabled", "on", "true or false",
                "Set true or false, or remove it to follow audit.retry.retry-budget.enabled.", Map.of("audit.retry.endpoints.[/ledger].retry-budget.enabled", "on"));
        assertEndpointRejected("audit.retry.endpoints.[/ledger].retry-budget.percent", "2000.0", "from 1 to 1000",
                "Set a value from 1 to 1000, or remove it to follow audit.retry.retry-budget.percent.", Map.of("audit.retry.endpoints.[/ledger].retry-budget.percent", "2000"));
        assertEndpointRejected("audit.retry.endpoints.[/ledger].retry-budget.window", "100ms", "at least 1s",
                "Set 1s or more, or remove it to follow audit.retry.retry-budget.window.", Map.of("audit.retry.endpoints.[/ledger].retry-budget.window", "100ms"));
        assertEndpointRejected("audit.retry.endpoints.[/ledger].retry-budget.min-retries-per-second", "-0.5",
                "at least 0", "Set 0 or more, or remove it to follow audit.retry.retry-budget.min-retries-per-second.",
                Map.of("audit.retry.endpoints.[/ledger].retry-budget.min-retries-per-second", "-0.5"));
    }

    @Test
    void rejectsInvalidEndpointNonIdempotentMethods() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].non-idempotent-methods", "PO ST",
                "must be an HTTP method", "separated by commas",
                Map.of("audit.retry.endpoints.[/ledger].non-idempotent-methods", "PO ST"));
    }

    @Test
    void rejectsInvalidEndpointIdempotent() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger/entries:POST].idempotent", "1", "true or false",
                "idempotency key", Map.of("audit.retry.endpoints.[/ledger/entries:POST].idempotent", "1"));
    }

    @Test
    void rejectsInvalidEndpointFailureRateThreshold() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].circuit-breaker.failure-rate-threshold", "100.5",
                "from 0 to 100", "or remove it to follow audit.retry.circuit-breaker.failure-rate-threshold.",
                Map.of("audit.retry.endpoints.[/ledger].circuit-breaker.failure-rate-threshold", "100.5"));
    }

    @Test
    void rejectsInvalidEndpointRecoveryBackoffMultiplier() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].circuit-breaker.recovery-backoff-multiplier", "0.9",
                "at least 1", "Set 1 or more, or remove it to follow"
                        + " audit.retry.circuit-breaker.recovery-backoff-multiplier.",
                Map.of("audit.retry.endpoints.[/ledger].circuit-breaker.recovery-backoff-multiplier", "0.9"));
    }

    @Test
    void rejectsEndpointMaxRecoveryTimeoutBelowRecoveryTimeout() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].circuit-breaker.max-recovery-timeout", "20s",
                "must not be shorter than audit.retry.endpoints.[/ledger].circuit-breaker.recovery-timeout (30s)",
                "Raise max-recovery-timeout",
                Map.of("audit.retry.endpoints.[/ledger].circuit-breaker.recovery-timeout", "30s",
                        "audit.retry.endpoints.[/ledger].circuit-breaker.max-recovery-timeout", "20s"));
    }

    @Test
    void rejectsEndpointRecoveryTimeoutAboveGlobalMaxRecoveryTimeout() {
        assertEndpointRejected("audit.retry.endpoints.[/ledger].circuit-breaker.recovery-timeout", "10m",
                "must not be longer than audit.retry.circuit-breaker.max-recovery-timeout (5m)",
                "also set audit.retry.endpoints.[/ledger].circuit-breaker.max-recovery-timeout",
                Map.of("audit.retry.circuit-breaker.max-recovery-timeout", "5m",
                        "audit.retry.endpoints.[/ledger].circuit-breaker.recovery-timeout", "10m"));
    }

    @Test
    void rejectsEndpointKeyWithoutBracketsInYaml() {
        this.contextRunner.withInitializer(PropertyFiles.load("endpoints/unbracketed.yml"))
                .run((context) -> assertThat(context).getFailure()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("audit.retry.endpoints./ledger/entries:POST.max-attempts")
                        .hasMessageContaining("Put the key in brackets")
                        .hasMessageContaining("\"[/ledger/entries:POST]\""));
    }

    @Test
    void rejectsUnescapedColonInPropertiesKey() {
        this.contextRunner.withInitializer(PropertyFiles.load("endpoints/unescaped.properties"))
                .run((context) -> assertThat(context).getFailure()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("audit.retry.endpoints.[/ledger/entries")
                        .hasMessageContaining("no closing bracket")
                        .hasMessageContaining("[/ledger/entries\\:POST]"));
    }

    @Test
    void printsFailureAnalysisAtStartup(CapturedOutput output) {
        SpringApplication application = new SpringApplication(InvalidApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of("audit.retry.max-attempts", "0", "spring.main.banner-mode", "off"));

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> application.run());

        assertThat(failure).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value '0' for configuration property 'audit.retry.max-attempts'"
                        + " (set in property source 'defaultProperties').")
                .contains("It must be at least 1. It counts every attempt, the first call included, so 1 calls once"
                        + " without retrying. Set 1 or more; 3 is the default.")
                .contains("Change the value of audit.retry.max-attempts as described above.")
                .doesNotContain("resolves to");
    }

    private void assertRejected(String property, String value, String range, String fix, String... properties) {
        this.contextRunner.withPropertyValues(properties).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("Property " + property + " with value '" + value + "' is invalid")
                .hasMessageContaining(range)
                .hasMessageContaining(fix));
    }

    private void assertEndpointRejected(String property, String value, String range, String fix,
            Map<String, Object> properties) {
        // TestPropertyValues splits a pair at its first ':', so keys with a colon go in through a property source.
        this.contextRunner
                .withInitializer((context) -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("test", properties)))
                .run((context) -> assertThat(context).getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("Property " + property + " with value '" + value + "' is invalid")
                        .hasMessageContaining(range)
                        .hasMessageContaining(fix));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AuditRetryAutoConfiguration.class)
    static class InvalidApplication {
    }
}
