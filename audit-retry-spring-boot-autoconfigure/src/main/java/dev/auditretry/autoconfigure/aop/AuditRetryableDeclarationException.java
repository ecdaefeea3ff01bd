package dev.auditretry.autoconfigure.aop;

/**
 * Thrown at startup when an {@code @AuditRetryable} method cannot work as declared, such as when its fallback
 * method does not exist or its return type is a plain Future. The message names what is wrong, and
 * {@link #getAction()} names what to change.
 */
public class AuditRetryableDeclarationException extends IllegalStateException {

    private final String description;

    private final String action;

    /**
     * Creates the exception.
     * @param description what is wrong, naming the class and the method
     * @param action what to change
     */
    public AuditRetryableDeclarationException(String description, String action) {
        super(description + " " + action);
        this.description = description;
        this.action = action;
    }

    /** Returns what is wrong, without the action. */
    public String getDescription() {
        return this.description;
    }

    /** Returns what to change. */
    public String getAction() {
        return this.action;
    }
}
