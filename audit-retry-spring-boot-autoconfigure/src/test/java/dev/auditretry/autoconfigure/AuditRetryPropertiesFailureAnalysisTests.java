package dev.auditretry.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.auditretry.core.RetryManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Starts applications with invalid audit.retry properties and checks the failure analysis that Spring Boot prints,
 * as a user reads it.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditRetryPropertiesFailureAnalysisTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AuditRetryAutoConfiguration.class));

    @Test
    void maxAttemptsAboveIntRangeNamesRange(CapturedOutput output) {
        startWith("--audit.retry.max-attempts=99999999999");

        assertThat(output).contains("Invalid value '99999999999' for configuration property"
                + " 'audit.retry.max-attempts'")
                .contains("It must be a whole number from 1 to 2147483647.")
                .contains("Set audit.retry.max-attempts to a whole number from 1 to 2147483647; 3 is the default.")
                .doesNotContain("resolves to")
                .doesNotContain("Failed to convert");
    }

    @Test
    void statusCodeThatIsNotNumberNamesRange(CapturedOutput output) {
        startWith("--audit.retry.retryable-status-codes=503,abc");

        assertThat(output).contains("Invalid value '503,abc' for configuration property"
                + " 'audit.retry.retryable-status-codes'")
                .contains("It must be a comma-separated list of HTTP status codes from 100 to 599.")
                .contains("Set audit.retry.retryable-status-codes to a comma-separated list of HTTP status codes"
                        + " from 100 to 599; 408,429,500,502,503,504 is the default.");
    }

    @Test
    void enabledThatIsNotBooleanNamesValues(CapturedOutput output) {
        startWith("--audit.retry.enabled=maybe");

        assertThat(output).contains("Invalid value 'maybe' for configuration property 'audit.retry.enabled'")
                .contains("It must be true or false.")
                .contains("Set audit.retry.enabled to true or false; true is the default.");
    }

    @Test
    void circuitBreakerEnabledNotBoolean(CapturedOutput output) {
        startWith("--audit.retry.circuit-breaker.enabled=on-ish");

        assertThat(output).contains("'audit.retry.circuit-breaker.enabled'")
                .contains("It must be true or false.")
                .contains("Set audit.retry.circuit-breaker.enabled to true or false; true is the default.");
    }

    @Test
    void unresolvablePlaceholderNamesPlaceholder(CapturedOutput output) {
        startWith("--audit.retry.initial-delay=${nope.missing}");

        assertThat(output).contains("Invalid value '${nope.missing}' for configuration property"
                + " 'audit.retry.initial-delay'")
                .contains("It contains the placeholder ${nope.missing}, and no property named nope.missing is set.")
                .contains("It must be a duration of zero or more, such as 500ms, 2s or 1m; a bare number means"
                        + " milliseconds.")
                .contains("Set nope.missing, give the placeholder a default as in ${nope.missing:value}, or set"
                        + " audit.retry.initial-delay to a duration of zero or more directly.");
    }

    @Test
    void unresolvablePlaceholderInTextPropertyNamesPlaceholder(CapturedOutput output) {
        startWith("--audit.retry.jitter=${ledger.jitter}");

        assertThat(output).contains("Invalid value '${ledger.jitter}' for configuration property"
                + " 'audit.retry.jitter'")
                .contains("It contains the placeholder ${ledger.jitter}, and no property named ledger.jitter is set."
                        + " It must be one of none, full, equal, decorrelated.")
                .contains("Set ledger.jitter, give the placeholder a default as in ${ledger.jitter:value}");
    }

    @Test
    void maxDelayNotDuration(CapturedOutput output) {
        startWith("--audit.retry.max-delay=soon");

        assertThat(output).contains("Invalid value 'soon' for configuration property 'audit.retry.max-delay'")
                .contains("It must be a duration of zero or more, such as 500ms, 2s or 1m; a bare number means"
                        + " milliseconds.")
                .contains("Set audit.retry.max-delay to a duration of zero or more; 30s is the default.");
    }

    @Test
    void multiplierThatIsNotNumberNamesRange(CapturedOutput output) {
        startWith("--audit.retry.backoff-multiplier=x");

        assertThat(output).contains("It must be a number of at least 1.")
                .contains("Set audit.retry.backoff-multiplier to a number of at least 1; 2.0 is the default.");
    }

    @Test
    void percentThatIsNotNumberNamesRange(CapturedOutput output) {
        startWith("--audit.retry.retry-budget.percent=most");

        assertThat(output).contains("It must be a number from 1 to 1000.")
                .contains("Set audit.retry.retry-budget.percent to a number from 1 to 1000; 20 is the default.");
    }

    @Test
    void aspectOrderNotNumber(CapturedOutput output) {
        startWith("--audit.retry.aspect-order=first");

        assertThat(output).contains("It must be a whole number from -2147483648 to 2147483647.")
                .contains("Set audit.retry.aspect-order to a whole number from -2147483648 to 2147483647;"
                        + " 2147483646 is the default.");
    }

    @Test
    void endpointMaxAttemptsNotNumber(CapturedOutput output) {
        startWith("--audit.retry.endpoints.[/ledger:GET].max-attempts=x");

        assertThat(output).contains("Invalid value 'x' for configuration property"
                + " 'audit.retry.endpoints.[/ledger:GET].max-attempts'")
                .contains("It must be a whole number from 1 to 2147483647.")
                .contains("Set audit.retry.endpoints.[/ledger:GET].max-attempts to a whole number from 1 to"
                        + " 2147483647, or remove it to follow audit.retry.max-attempts.");
    }

    @Test
    void endpointDurationThatDoesNotConvertNamesRange(CapturedOutput output) {
        startWith("--audit.retry.endpoints.[/ledger:GET].circuit-breaker.recovery-timeout=x");

        assertThat(output).contains("'audit.retry.endpoints.[/ledger:GET].circuit-breaker.recovery-timeout'")
                .contains("It must be a duration of at least 1ms, such as 500ms, 2s or 1m")
                .contains("or remove it to follow audit.retry.circuit-breaker.recovery-timeout.");
    }

    @Test
    void groupSetAsSingleValueNamesItsSettings(CapturedOutput output) {
        startWith("--audit.retry.circuit-breaker=5");

        assertThat(output).contains("Invalid value '5' for configuration property 'audit.retry.circuit-breaker'")
                .contains("It must be a group of settings set one by one below the property, not a single value.")
                .contains("Remove audit.retry.circuit-breaker and set the properties below it instead, such as"
                        + " audit.retry.circuit-breaker.enabled.");
    }

    @Test
    void invalidValueFromPlaceholderShowsResolvedValue(CapturedOutput output) {
        startWith("--audit.retry.max-attempts=${my.attempts}", "--my.attempts=0");

        assertThat(output).contains("Invalid value '${my.attempts}' for configuration property"
                + " 'audit.retry.max-attempts'")
                .contains("It resolves to 0. It must be at least 1.")
                .contains("Set 1 or more; 3 is the default.");
    }

    @Test
    void unconvertibleValueFromPlaceholderShowsResolvedValue(CapturedOutput output) {
        startWith("--audit.retry.max-attempts=${my.attempts}", "--my.attempts=abc");

        assertThat(output).contains("Invalid value '${my.attempts}'")
                .contains("It resolves to abc. It must be a whole number from 1 to 2147483647.");
    }

    @Test
    void valueOverridingAnotherSourceNamesBoth(CapturedOutput output) {
        SpringApplication application = application();
        application.setDefaultProperties(Map.of("audit.retry.max-attempts", "5"));

        catchThrowable(() -> application.run("--audit.retry.max-attempts=0"));

        assertThat(output).contains("Invalid value '0' for configuration property 'audit.retry.max-attempts'")
                .contains("The value above overrides '5', set in property source 'defaultProperties'.");
    }

    @Test
    void relaxedNameOfInvalidValueIsFound(CapturedOutput output) {
        startWith("--audit.retry.maxAttempts=0");

        assertThat(output).contains("Invalid value '0' for configuration property 'audit.retry.max-attempts'")
                .contains("It must be at least 1.");
    }

    @Test
    void endpointFailureThresholdNamesFix(CapturedOutput output) {
        startWith("--audit.retry.endpoints.[/ledger:GET].circuit-breaker.failure-threshold=0");

        assertThat(output).contains("'audit.retry.endpoints.[/ledger:GET].circuit-breaker.failure-threshold'")
                .contains("It must be at least 1. 1 opens the circuit on the first failure once"
                        + " minimum-request-threshold is reached. Set 1 or more, or remove it to follow"
                        + " audit.retry.circuit-breaker.failure-threshold.");
    }

    @Test
    void durationsInMessagesAreWrittenAsProperties(CapturedOutput output) {
        startWith("--audit.retry.initial-delay=200ms", "--audit.retry.max-delay=150ms");

        assertThat(output).contains("Invalid value '150ms' for configuration property 'audit.retry.max-delay'")
                .contains("It must not be shorter than audit.retry.initial-delay (200ms).")
                .doesNotContain("PT0.2S");
    }

    @Test
    void unknownPropertyListsKnownNames(CapturedOutput output) {
        startWith("--audit.retry.bogus=2");

        assertThat(output).contains("Unknown properties under audit.retry:")
                .contains("audit.retry.bogus with value '2'")
                .contains("No such property. The properties under audit.retry are enabled, max-attempts,")
                .contains("circuit-breaker.*, endpoints.[key].*, health.*.")
                .contains("Rename each property to the name suggested for it, or remove it.");
    }

    @Test
    void unknownEndpointPropertyListsEndpointNames(CapturedOutput output) {
        startWith("--audit.retry.endpoints.[/ledger:GET].bogus=2");

        assertThat(output).contains("audit.retry.endpoints.[/ledger:GET].bogus with value '2'")
                .contains("The properties under audit.retry.endpoints.[/ledger:GET] are enabled, max-attempts,")
                .doesNotContain("aspect-order,");
    }

    @Test
    void misspelledPropertySuggestsClosestName(CapturedOutput output) {
        SpringApplication application = application();
        application.addInitializers(initializer(PropertyFiles.load("typos/misspelled.yml")));

        catchThrowable(application::run);

        assertThat(output).contains("audit.retry.circuit-breaker.failure-treshold with value '3'")
                .contains("typos/misspelled.yml")
                .contains("Did you mean audit.retry.circuit-breaker.failure-threshold?");
    }

    @Test
    void misspelledEndpointPropertySuggestsEndpointName(CapturedOutput output) {
        startWith("--audit.retry.endpoints.[/ledger:GET].max-atempts=2");

        assertThat(output).contains("Did you mean audit.retry.endpoints.[/ledger:GET].max-attempts?");
    }

    @Test
    void propertyOneLevelTooHighSuggestsNestedName(CapturedOutput output) {
        startWith("--audit.retry.failure-threshold=3");

        assertThat(output).contains("Did you mean audit.retry.circuit-breaker.failure-threshold?");
    }

    @Test
    void endpointAspectOrderIsGlobalOnly(CapturedOutput output) {
        startWith("--audit.retry.endpoints.[/ledger:GET].aspect-order=2");

        assertThat(output).contains("audit.retry.endpoints.[/ledger:GET].aspect-order with value '2'")
                .contains("It is a global setting and cannot be set for one circuit. Remove it here and set"
                        + " audit.retry.aspect-order instead.");
    }

    @Test
    void misspelledHealthPropertySuggestsName(CapturedOutput output) {
        startWith("--audit.retry.health.affecting-circuit=/ledger:GET");

        assertThat(output).contains("Did you mean audit.retry.health.affecting-circuits?");
    }

    @Test
    void propertyBelowSingleValueIsUnknown(CapturedOutput output) {
        startWith("--audit.retry.max-attempts.value=2");

        assertThat(output).contains("audit.retry.max-attempts is a single value and has no properties below it.");
    }

    @Test
    void misspelledEnvironmentVariableSuggestsClosestName(CapturedOutput output) {
        SpringApplication application = application();
        application.addInitializers(initializer(environmentVariables(
                Map.of("AUDIT_RETRY_CIRCUITBREAKER_FAILURETRESHOLD", "3"))));

        catchThrowable(application::run);

        assertThat(output).contains("AUDIT_RETRY_CIRCUITBREAKER_FAILURETRESHOLD")
                .contains("Did you mean audit.retry.circuit-breaker.failure-threshold?");
    }

    @Test
    void relaxedNamesAreKnown() {
        this.contextRunner.withPropertyValues("audit.retry.maxAttempts=5", "audit.retry.circuitBreaker.failure_threshold=2",
                "audit.retry.retryable-status-codes[0]=503", "audit.retry.health.affecting-circuits=/ledger:GET")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    RetryManager manager = context.getBean(RetryManager.class);
                    assertThat(manager.getConfig().maxAttempts()).isEqualTo(5);
                    assertThat(manager.getConfig().retryableStatusCodes()).containsExactly(503);
                });
    }

    @Test
    void environmentVariablesAreKnown() {
        this.contextRunner.withInitializer(environmentVariables(Map.of("AUDIT_RETRY_MAXATTEMPTS", "4",
                "AUDIT_RETRY_CIRCUITBREAKER_FAILURETHRESHOLD", "2", "AUDIT_RETRY_CIRCUIT_BREAKER_HALF_OPEN_MAX_CALLS",
                "3", "AUDIT_RETRY_RETRYABLESTATUSCODES_0_", "503", "AUDIT_RETRY_ENDPOINTS_LEDGER_MAXATTEMPTS", "2",
                "AUDIT_RETRY_HEALTH_AFFECTINGCIRCUITS", "/ledger:GET")))
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    RetryManager manager = context.getBean(RetryManager.class);
                    assertThat(manager.getConfig().maxAttempts()).isEqualTo(4);
                    assertThat(manager.getConfig().retryableStatusCodes()).containsExactly(503);
                    assertThat(manager.getCircuitBreakerConfig().failureThreshold()).isEqualTo(2);
                    assertThat(manager.getCircuitBreakerConfig().halfOpenMaxCalls()).isEqualTo(3);
                });
    }

    @Test
    void unknownEnvironmentVariableFailsStartup() {
        this.contextRunner.withInitializer(environmentVariables(Map.of("AUDIT_RETRY_MAXATEMPTS", "4")))
                .run((context) -> assertThat(context).getFailure()
                        .isInstanceOf(UnknownPropertiesException.class)
                        .hasMessageContaining("audit.retry.maxatempts")
                        .hasMessageContaining("Did you mean audit.retry.max-attempts?"));
    }

    @Test
    void otherPropertiesAreNotChecked() {
        this.contextRunner.withPropertyValues("audit.retryx.bogus=1", "audit.log.level=debug", "audit.bogus=2",
                "retry.bogus=3")
                .withInitializer(environmentVariables(Map.of("AUDIT_LOG_LEVEL", "debug", "AUDITRETRY_BOGUS", "1")))
                .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void otherPropertyFailureLeftToBoot(CapturedOutput output) {
        SpringApplication application = new SpringApplication(OtherPropertiesApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of("spring.main.banner-mode", "off"));

        catchThrowable(() -> application.run("--other.attempts=abc"));

        assertThat(output).contains("Failed to bind properties under 'other.attempts' to int")
                .doesNotContain("It must be a whole number");
    }

    @Test
    void everyPropertyRecordUnderAuditRetryIsKnown() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));

        List<String> underAuditRetry = scanner.findCandidateComponents("dev.auditretry").stream()
                .map(BeanDefinition::getBeanClassName)
                .filter((className) -> prefixOf(className).startsWith("audit.retry"))
                .toList();

        assertThat(underAuditRetry).isNotEmpty();
        assertThat(PropertyTree.propertyRecords()).extracting(Class::getName)
                .containsExactlyInAnyOrderElementsOf(underAuditRetry);
    }

    private static String prefixOf(String className) {
        try {
            ConfigurationProperties annotation = Class.forName(className).getAnnotation(ConfigurationProperties.class);
            return annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void startWith(String... args) {
        SpringApplication application = application();

        Throwable failure = catchThrowable(() -> application.run(args));

        assertThat(failure).isNotNull();
    }

    private static SpringApplication application() {
        SpringApplication application = new SpringApplication(AuditRetryApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of("spring.main.banner-mode", "off"));
        return application;
    }

    private static ApplicationContextInitializer<ConfigurableApplicationContext> environmentVariables(
            Map<String, Object> variables) {
        return (context) -> context.getEnvironment().getPropertySources().replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    }

    private static ApplicationContextInitializer<?> initializer(
            ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        return initializer;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AuditRetryAutoConfiguration.class)
    static class AuditRetryApplication {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OtherProperties.class)
    static class OtherPropertiesApplication {
    }

    @ConfigurationProperties("other")
    record OtherProperties(int attempts) {
    }
}
