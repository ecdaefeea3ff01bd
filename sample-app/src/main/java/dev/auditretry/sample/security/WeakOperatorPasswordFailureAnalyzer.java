package dev.auditretry.sample.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a too short operator password without printing it. Spring Boot's analyzer for invalid property
 * values would print the value as the environment stores it, which here is the secret itself.
 */
class WeakOperatorPasswordFailureAnalyzer extends AbstractFailureAnalyzer<WeakOperatorPasswordException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WeakOperatorPasswordException cause) {
        String description = "The operator password (sample.operator.password) has " + cause.getLength()
                + " characters, but it needs at least " + cause.getMinimumLength() + ".";
        String action = "Set SAMPLE_OPERATOR_PASSWORD, or sample.operator.password, to a passphrase of at least "
                + cause.getMinimumLength() + " characters, or leave it empty to disable actuator write operations.";
        return new FailureAnalysis(description, action, cause);
    }
}
