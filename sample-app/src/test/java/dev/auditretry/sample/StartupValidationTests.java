package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.auditretry.sample.security.WeakOperatorPasswordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Invalid sample settings stop the application at startup with a message that names the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupValidationTests {

    @Test
    void shortOperatorPasswordFailsStartupWithoutPrintingIt(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> start("--sample.operator.password=Sh0rtSecret"));

        assertThat(failure).hasRootCauseInstanceOf(WeakOperatorPasswordException.class);
        assertThat(output).contains("The operator password (sample.operator.password) has 11 characters, but it"
                + " needs at least 12.");
        assertThat(output).contains("Set SAMPLE_OPERATOR_PASSWORD");
        assertThat(output).doesNotContain("Sh0rtSecret");
        assertThat(failure).hasStackTraceContaining("has 11 characters").satisfies(
                (thrown) -> assertThat(stackTraceOf(thrown)).doesNotContain("Sh0rtSecret"));
    }

    @Test
    void nonHttpBaseUrlFailsStartup() {
        Throwable failure = catchThrowable(() -> start("--sample.downstream.base-url=ftp://127.0.0.1:21"));

        InvalidConfigurationPropertyValueException invalid = findInvalidProperty(failure);
        assertThat(invalid.getName()).isEqualTo("sample.downstream.base-url");
        assertThat(invalid.getReason()).contains("absolute http or https URL");
    }

    @Test
    void missingBaseUrlWithoutFaultServerFailsStartup() {
        Throwable failure = catchThrowable(() -> start("--sample.fault-server.enabled=false"));

        InvalidConfigurationPropertyValueException invalid = findInvalidProperty(failure);
        assertThat(invalid.getName()).isEqualTo("sample.downstream.base-url");
        assertThat(invalid.getReason()).contains("required when sample.fault-server.enabled is false");
    }

    private static void start(String... arguments) {
        String[] common = { "--server.port=0", "--sample.fault-server.port=0", "--spring.main.banner-mode=off" };
        String[] all = new String[common.length + arguments.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(arguments, 0, all, common.length, arguments.length);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
                .run(all)) {
            assertThat(context.isRunning()).as("the application should not have started").isFalse();
        }
    }

    private static String stackTraceOf(Throwable thrown) {
        java.io.StringWriter trace = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(trace));
        return trace.toString();
    }

    private static InvalidConfigurationPropertyValueException findInvalidProperty(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof InvalidConfigurationPropertyValueException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("expected an InvalidConfigurationPropertyValueException in the cause chain", failure);
    }
}
