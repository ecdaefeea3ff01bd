package dev.auditretry.sample.security;

/**
 * Thrown at startup when the operator password is too short. It carries the password's length, never the
 * password, so that neither the message nor the failure analysis can print the secret.
 */
public class WeakOperatorPasswordException extends RuntimeException {

    private final int length;

    private final int minimumLength;

    /**
     * Creates the exception.
     * @param length the length of the rejected password
     * @param minimumLength the length that a password needs at least
     */
    public WeakOperatorPasswordException(int length, int minimumLength) {
        super("sample.operator.password has " + length + " characters but needs at least " + minimumLength);
        this.length = length;
        this.minimumLength = minimumLength;
    }

    public int getLength() {
        return this.length;
    }

    public int getMinimumLength() {
        return this.minimumLength;
    }
}
