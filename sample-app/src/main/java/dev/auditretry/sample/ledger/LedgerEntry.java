package dev.auditretry.sample.ledger;

/**
 * One ledger entry as the downstream returns it.
 *
 * @param id the entry id
 * @param account the account the entry is booked on
 * @param amountCents the amount in cents of the currency
 * @param currency the ISO 4217 currency code
 */
public record LedgerEntry(String id, String account, long amountCents, String currency) {
}
