package dev.auditretry.sample.ledger;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's API: one ledger entry, read through {@code @AuditRetryable} or through {@code RetryManager}.
 */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
public class LedgerController {

    private final LedgerService annotated;

    private final ProgrammaticLedgerService programmatic;

    public LedgerController(LedgerService annotated, ProgrammaticLedgerService programmatic) {
        this.annotated = annotated;
        this.programmatic = programmatic;
    }

    @GetMapping("/ledger/{id}")
    public LedgerEntry getEntry(@PathVariable String id) {
        return this.annotated.findEntry(id);
    }

    @GetMapping("/ledger-programmatic/{id}")
    public LedgerEntry getEntryProgrammatically(@PathVariable String id) {
        return this.programmatic.findEntry(id);
    }
}
