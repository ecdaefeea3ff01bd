package dev.auditretry.sample.ledger;

import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import org.springframework.stereotype.Service;

/**
 * Reads ledger entries by calling {@link RetryManager} directly, for comparison with {@link LedgerService}.
 * <p>
 * It uses its own circuit {@value #ENDPOINT}:GET, so the two styles can be watched side by side. Unlike the
 * annotation, {@link RetryManager#execute} wraps the last failure in a
 * {@link dev.auditretry.core.RetryExhaustedException} when the retries are used up.
 */
@Service
public class ProgrammaticLedgerService {

    /** The endpoint of the circuit that this service's calls pass through. */
    public static final String ENDPOINT = "/ledger-programmatic";

    private static final RetryContext CONTEXT = RetryContext.of(ENDPOINT, "GET");

    private final RetryManager retryManager;

    private final LedgerClient client;

    public ProgrammaticLedgerService(RetryManager retryManager, LedgerClient client) {
        this.retryManager = retryManager;
        this.client = client;
    }

    /**
     * Fetches one entry, retrying transient failures.
     * @param id the entry id
     * @return the entry
     * @throws dev.auditretry.core.RetryExhaustedException when every attempt failed with a retryable failure
     * @throws dev.auditretry.core.circuit.CircuitBreakerOpenException when the circuit rejected the call
     * @throws org.springframework.web.client.RestClientResponseException when the downstream responded with a
     *         status that is not retried, such as 404
     */
    public LedgerEntry findEntry(String id) {
        return this.retryManager.execute(CONTEXT, () -> this.client.fetch(id));
    }
}
