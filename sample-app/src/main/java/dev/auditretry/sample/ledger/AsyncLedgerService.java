package dev.auditretry.sample.ledger;

import dev.auditretry.annotation.AuditRetryable;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Reads ledger entries without blocking a thread: {@code @AuditRetryable} on a method that returns a {@code Mono}
 * retries by calling the method again for each attempt, and schedules its waits instead of sleeping. Its calls
 * pass the circuit {@value #ENDPOINT}:GET.
 */
@Service
public class AsyncLedgerService {

    /** The endpoint of the circuit that this service's calls pass through. */
    public static final String ENDPOINT = "/ledger-async";

    private final WebClient webClient;

    public AsyncLedgerService(WebClient.Builder builder, LedgerClient ledgerClient) {
        this.webClient = builder.baseUrl(ledgerClient.getBaseUrl().toString()).build();
    }

    /**
     * Fetches one entry, retrying transient failures. Nothing is sent until the result is subscribed to.
     * @param id the entry id
     * @return the entry, or the last failure, unchanged, when the retries are used up or the failure is not
     *         retried, or {@code CircuitBreakerOpenException} when the circuit rejected the call
     */
    @AuditRetryable(endpoint = ENDPOINT, method = "GET")
    public Mono<LedgerEntry> findEntry(String id) {
        return this.webClient.get().uri("/ledger/{id}", id).retrieve().bodyToMono(LedgerEntry.class);
    }
}
