package dev.auditretry.sample.ledger;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The sample's API: one ledger entry, read through {@code @AuditRetryable}, through {@code RetryManager}, or
 * through {@code @AuditRetryable} on a method that returns a {@code Mono}.
 */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
public class LedgerController {

    private final LedgerService annotated;

    private final ProgrammaticLedgerService programmatic;

    private final AsyncLedgerService async;

    public LedgerController(LedgerService annotated, ProgrammaticLedgerService programmatic, AsyncLedgerService async) {
        this.annotated = annotated;
        this.programmatic = programmatic;
        this.async = async;
    }

    @GetMapping("/ledger/{id}")
    public LedgerEntry getEntry(@PathVariable String id) {
        return this.annotated.findEntry(id);
    }

    @GetMapping("/ledger-programmatic/{id}")
    public LedgerEntry getEntryProgrammatically(@PathVariable String id) {
        return this.programmatic.findEntry(id);
    }

    @GetMapping("/ledger-async/{id}")
    public Mono<LedgerEntry> getEntryAsynchronously(@PathVariable String id) {
        return this.async.findEntry(id);
    }
}
