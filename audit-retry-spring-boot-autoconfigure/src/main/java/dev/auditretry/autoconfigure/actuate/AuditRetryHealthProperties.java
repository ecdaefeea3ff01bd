package dev.auditretry.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Settings of the {@code circuitBreakers} health contributor.
 *
 * @param affectingCircuits keys of the circuits whose state sets the health status, such as
 *        /ledger/entries:POST; a key without a method means its GET circuit. One of them OPEN makes the status
 *        DOWN, and one of them HALF_OPEN, with none OPEN, makes it UNKNOWN. Empty by default, so that an open
 *        circuit, which means a dependency is failing, does not take this application out of service.
 */
@ConfigurationProperties("audit.retry.health")
public record AuditRetryHealthProperties(@DefaultValue List<String> affectingCircuits) {

    static final String AFFECTING_CIRCUITS_PROPERTY = "audit.retry.health.affecting-circuits";

    /**
     * Trims the keys.
     * @throws InvalidConfigurationPropertyValueException if a key is blank
     */
    public AuditRetryHealthProperties {
        List<String> trimmed = new ArrayList<>(affectingCircuits.size());
        for (String key : affectingCircuits) {
            if (key == null || key.isBlank()) {
                throw new InvalidConfigurationPropertyValueException(AFFECTING_CIRCUITS_PROPERTY,
                        String.join(",", affectingCircuits),
                        "Each entry must be a circuit key such as /ledger/entries:POST. Remove the blank entry.");
            }
            trimmed.add(key.trim());
        }
        affectingCircuits = List.copyOf(trimmed);
    }
}
