package dev.auditretry.benchmarks;

import dev.auditretry.annotation.AuditRetryable;

/**
 * A Spring bean whose method is advised by {@code @AuditRetryable}, for the aspect benchmark.
 */
public class AuditedClient {

    // Not final, so the JIT reads it on every call instead of folding it into a constant.
    private String response = "200 OK";

    @AuditRetryable(endpoint = "/ledger/entries")
    public String fetch() {
        return this.response;
    }
}
