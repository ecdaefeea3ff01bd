package dev.auditretry.sample.downstream;

import java.time.Duration;
import java.util.Objects;

/**
 * The behaviour of the fault-injecting downstream for the requests it receives. Immutable: an invalid plan cannot be
 * created.
 *
 * @param fault what to do instead of a normal response
 * @param status the HTTP status of fault {@code status}, from 400 to 599
 * @param retryAfter the Retry-After header value of fault {@code status} (delta seconds or an HTTP date), or null
 *        for none
 * @param latency wait before every response, normal or not, from 0 to {@link #MAX_LATENCY}
 * @param times how many requests get the fault and the latency before the downstream responds normally and at
 *        once again, or null for every request until the plan is replaced
 */
public record FaultPlan(Fault fault, int status, String retryAfter, Duration latency, Integer times) {

    /** The maximum latency accepted, so that a typo cannot hold connections for hours. */
    public static final Duration MAX_LATENCY = Duration.ofSeconds(60);

    /** The status of fault {@code status} when none is given: 503 Service Unavailable. */
    public static final int DEFAULT_STATUS = 503;

    /** A plan that responds to every request normally and at once. */
    public static final FaultPlan HEALTHY = new FaultPlan(Fault.NONE, DEFAULT_STATUS, null, Duration.ZERO, null);

    /**
     * Validates the plan.
     * @throws IllegalArgumentException naming the field, the rejected value and the allowed range
     */
    public FaultPlan {
        Objects.requireNonNull(fault, "fault must not be null");
        Objects.requireNonNull(latency, "latency must not be null");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an error status from 400 to 599 but was " + status
                    + "; use fault 'none' for normal responses");
        }
        if (retryAfter != null && !isValidHeaderValue(retryAfter)) {
            throw new IllegalArgumentException("retryAfter must be delta seconds such as 2 or an HTTP date,"
                    + " without line breaks or control characters, but was '" + retryAfter + "'");
        }
        if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException("latency must be from 0 to " + MAX_LATENCY.toSeconds()
                    + "s but was " + latency);
        }
        if (times != null && times < 1) {
            throw new IllegalArgumentException("times must be at least 1 but was " + times
                    + "; leave it out to fault every request, or use fault 'none' for none");
        }
        if (times != null && fault == Fault.DOWN) {
            throw new IllegalArgumentException("times does not apply to fault 'down', because a downstream that"
                    + " does not listen cannot count requests; set fault 'none' to bring it back");
        }
    }

    private static boolean isValidHeaderValue(String value) {
        if (value.isBlank()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char character = value.charAt(i);
            if (character < 0x20 || character > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
