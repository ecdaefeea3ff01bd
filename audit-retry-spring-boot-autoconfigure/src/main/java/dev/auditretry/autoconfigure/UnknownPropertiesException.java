package dev.auditretry.autoconfigure;

import java.util.List;

/**
 * Thrown at startup when properties under {@code audit.retry} have names that no audit-retry setting has, such as
 * misspelled ones, which would otherwise be ignored without a word.
 */
class UnknownPropertiesException extends IllegalStateException {

    private final List<String> descriptions;

    private final String action;

    /**
     * Creates the exception.
     * @param descriptions one line per unknown property, naming it, its value, where it was set and the known
     *        names it resembles
     * @param action what to change
     */
    UnknownPropertiesException(List<String> descriptions, String action) {
        super("Unknown properties under " + PropertyTree.PREFIX + ": " + String.join(" ", descriptions) + " "
                + action);
        this.descriptions = List.copyOf(descriptions);
        this.action = action;
    }

    List<String> getDescriptions() {
        return this.descriptions;
    }

    String getAction() {
        return this.action;
    }
}
