package dev.auditretry.sample.ledger;

import dev.auditretry.annotation.AuditRetryable;
import org.springframework.stereotype.Service;

/**
 * Reads ledger entries through {@code @AuditRetryable}: every call passes the circuit {@value #ENDPOINT}:GET and
 * is retried with the settings of {@code audit.retry}, including its override under
 * {@code audit.retry.endpoints."[/ledger:GET]"} in application.yml.
 */
@Service
public class LedgerService {

    /** The endpoint of the circuit that this service's calls pass through. */
    public static final String ENDPOINT = "/ledger";

    private final LedgerClient client;

    public LedgerService(LedgerClient client) {
        this.client = client;
    }

    /**
     * Fetches one entry, retrying transient failures.
     * @param id the entry id
     * @return the entry
     * @throws org.springframework.web.client.RestClientException the last failure, unchanged, when the retries
     *         are used up or the failure is not retried
     * @throws dev.auditretry.core.circuit.CircuitBreakerOpenException when the circuit rejected the call
     */
    @AuditRetryable(endpoint = ENDPOINT, method = "GET")
    public LedgerEntry findEntry(String id) {
        return this.client.fetch(id);
    }
}
