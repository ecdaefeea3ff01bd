package dev.auditretry.sample.downstream;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A failure that the fault-injecting downstream produces in place of a normal response.
 */
public enum Fault {

    /** RawResponse every request normally. */
    NONE,

    /** RawResponse with the configured error status, and a Retry-After header when one is configured. */
    STATUS,

    /**
     * Send the status line, the headers and part of the body, then reset the connection, so that the client reads
     * a body shorter than its Content-Length and then gets a connection reset.
     */
    DISCONNECT,

    /** Stop listening, so that connections are refused until another fault is set. */
    DOWN;

    /**
     * Returns the fault with this name, ignoring case.
     * @param name the name, such as {@code status}
     * @throws IllegalArgumentException naming the known faults when the name is unknown
     */
    @JsonCreator
    public static Fault fromName(String name) {
        for (Fault fault : values()) {
            if (fault.name().equalsIgnoreCase(name.trim())) {
                return fault;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; use one of " + knownNames());
    }

    static String knownNames() {
        return Arrays.stream(values()).map(Fault::jsonName).collect(Collectors.joining(", "));
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
