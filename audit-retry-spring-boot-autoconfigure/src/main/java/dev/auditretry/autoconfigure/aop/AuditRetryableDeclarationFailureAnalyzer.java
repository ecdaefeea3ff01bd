package dev.auditretry.autoconfigure.aop;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link AuditRetryableDeclarationException} into a startup report with a description and an action.
 */
class AuditRetryableDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<AuditRetryableDeclarationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AuditRetryableDeclarationException cause) {
        return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
    }
}
