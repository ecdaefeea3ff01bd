package dev.auditretry.core;

import dev.auditretry.core.backoff.Backoff;
import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.classify.NetworkError;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Retry settings of an endpoint. Immutable: an invalid instance cannot be created, and
 * {@link #toBuilder()} derives a changed copy.
 *
 * @param enabled whether failed attempts are retried; when false every call makes exactly one attempt,
 *        still through its circuit
 * @param maxAttempts total attempts per call, the first included; 1 disables retrying
 * @param initialDelay base wait before the first retry; later waits grow by backoffMultiplier up to maxDelay
 * @param maxDelay upper bound of every wait, not shorter than initialDelay
 * @param backoffMultiplier growth of the base wait per failed attempt, at least 1 (1 keeps it constant)
 * @param jitter how each base wait is randomized
 * @param retryableStatusCodes HTTP status codes worth retrying, each from 100 to 599
 * @param retryableErrors network error codes ({@link NetworkError} names) and fully qualified exception
 *        class names worth retrying; a class name also matches its subclasses
 * @param maxRetryAfter longest Retry-After that is honoured. A failure that requests a longer wait ends the call
 *        at once, and a shorter one sets the minimum wait, even above maxDelay
 * @param maxElapsed total time a call may take, waits included, or null for no limit. No wait is begun that
 *        would end past it, and no attempt starts after it
 * @param retryBudget the share of recent first attempts that retries may add, per circuit
 * @param nonIdempotentMethods HTTP methods, in upper case, whose requests are retried only after failures that
 *        show the request was not processed: ECONNREFUSED, ENOTFOUND, HTTP 429 and HTTP 503
 * @param idempotent whether the endpoint is known to be idempotent, which lifts the rule of nonIdempotentMethods
 */
public record RetryConfig(boolean enabled, int maxAttempts, Duration initialDelay, Duration maxDelay,
        double backoffMultiplier, Jitter jitter, Set<Integer> retryableStatusCodes, Set<String> retryableErrors,
        Duration maxRetryAfter, Duration maxElapsed, RetryBudgetConfig retryBudget, Set<String> nonIdempotentMethods,
        boolean idempotent) {

    /** HTTP status codes retried by default: request timeout, too many requests and the transient 5xx. */
    public static final Set<Integer> DEFAULT_RETRYABLE_STATUS_CODES = Set.of(408, 429, 500, 502, 503, 504);

    /** Network errors retried by default. Connection refused is left out because it often means a wrong address. */
    public static final Set<String> DEFAULT_RETRYABLE_ERRORS = Set.of("ECONNRESET", "ETIMEDOUT", "ENOTFOUND");

    /** HTTP methods whose requests may have effects when repeated, so they are retried only when safe. */
    public static final Set<String> DEFAULT_NON_IDEMPOTENT_METHODS = Set.of("POST", "PATCH");

    private static final Pattern QUALIFIED_CLASS_NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)+");

    /**
     * Validates and normalizes the settings.
     * @throws IllegalArgumentException naming the field, the rejected value and the allowed range
     */
    public RetryConfig {
        Objects.requireNonNull(initialDelay, "initialDelay must not be null");
        Objects.requireNonNull(maxDelay, "maxDelay must not be null");
        Objects.requireNonNull(jitter, "jitter must not be null");
        Objects.requireNonNull(retryableStatusCodes, "retryableStatusCodes must not be null");
        Objects.requireNonNull(retryableErrors, "retryableErrors must not be null");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter must not be null");
        Objects.requireNonNull(retryBudget, "retryBudget must not be null");
        Objects.requireNonNull(nonIdempotentMethods, "nonIdempotentMethods must not be null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "maxAttempts must be at least 1 but was " + maxAttempts + "; use 1 to disable retrying");
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "initialDelay must be zero or positive but was " + initialDelay + "; use 0 to retry at once");
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must be zero or positive but was " + maxDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay (" + maxDelay + ") must not be shorter than initialDelay ("
                    + initialDelay + "); raise maxDelay or lower initialDelay");
        }
        if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
            throw new IllegalArgumentException("backoffMultiplier must be a finite number of at least 1 but was "
                    + backoffMultiplier + "; use 1 for a constant wait");
        }
        for (Integer status : retryableStatusCodes) {
            if (status == null || status < 100 || status > 599) {
                throw new IllegalArgumentException("retryableStatusCodes must contain HTTP status codes from 100 to 599"
                        + " but contained " + status);
            }
        }
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter must be zero or positive but was " + maxRetryAfter
                    + "; use 0 to give up on every failure that asks for a wait");
        }
        if (maxElapsed != null && (maxElapsed.isNegative() || maxElapsed.isZero())) {
            throw new IllegalArgumentException("maxElapsed must be positive but was " + maxElapsed
                    + "; leave it unset for no limit");
        }
        retryableStatusCodes = Set.copyOf(retryableStatusCodes);
        retryableErrors = normalizeErrors(retryableErrors);
        nonIdempotentMethods = normalizeMethods(nonIdempotentMethods);
    }

    /** Returns the default settings: 3 attempts, 1 s initial delay doubling up to 30 s, full jitter. */
    public static RetryConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from these settings, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns the attempts a call may make: maxAttempts when enabled, otherwise 1. */
    public int effectiveMaxAttempts() {
        return this.enabled ? this.maxAttempts : 1;
    }

    /**
     * Returns whether the network error is listed in retryableErrors.
     * @param error the error to look up
     */
    public boolean isRetryable(NetworkError error) {
        return this.retryableErrors.contains(error.name());
    }

    /**
     * Returns whether a request with this HTTP method may be retried after any retryable failure, not only after
     * one that shows the request was not processed.
     * @param method the HTTP method in upper case
     */
    public boolean isRepeatable(String method) {
        return this.idempotent || !this.nonIdempotentMethods.contains(method);
    }

    /** Returns the backoff that these settings describe. */
    public Backoff backoff() {
        return new Backoff(this.initialDelay, this.maxDelay, this.backoffMultiplier, this.jitter);
    }

    private static Set<String> normalizeErrors(Collection<String> errors) {
        Set<String> normalized = new TreeSet<>();
        for (String error : errors) {
            if (error == null || error.isBlank()) {
                throw new IllegalArgumentException("retryableErrors must not contain a blank entry");
            }
            String trimmed = error.trim();
            if (NetworkError.fromName(trimmed).isPresent()) {
                normalized.add(trimmed.toUpperCase(Locale.ROOT));
            }
            else if (QUALIFIED_CLASS_NAME.matcher(trimmed).matches()) {
                normalized.add(trimmed);
            }
            else {
                throw new IllegalArgumentException("retryableErrors contains unknown error '" + trimmed
                        + "'; use one of " + knownErrorNames() + " or a fully qualified exception class name");
            }
        }
        return Set.copyOf(normalized);
    }

    private static Set<String> normalizeMethods(Collection<String> methods) {
        Set<String> normalized = new TreeSet<>();
        for (String method : methods) {
            if (method == null || method.isBlank()) {
                throw new IllegalArgumentException("nonIdempotentMethods must not contain a blank entry");
            }
            normalized.add(method.trim().toUpperCase(Locale.ROOT));
        }
        return Set.copyOf(normalized);
    }

    /** Returns the network error codes that retryableErrors accepts, comma-separated. */
    public static String knownErrorNames() {
        return Arrays.stream(NetworkError.values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /**
     * Builds a {@link RetryConfig}, starting from the defaults.
     */
    public static final class Builder {

        private boolean enabled = true;

        private int maxAttempts = 3;

        private Duration initialDelay = Duration.ofSeconds(1);

        private Duration maxDelay = Duration.ofSeconds(30);

        private double backoffMultiplier = 2.0;

        private Jitter jitter = Jitter.FULL;

        private Set<Integer> retryableStatusCodes = DEFAULT_RETRYABLE_STATUS_CODES;

        private Set<String> retryableErrors = DEFAULT_RETRYABLE_ERRORS;

        private Duration maxRetryAfter = Duration.ofSeconds(30);

        private Duration maxElapsed;

        private RetryBudgetConfig retryBudget = RetryBudgetConfig.DEFAULT;

        private Set<String> nonIdempotentMethods = DEFAULT_NON_IDEMPOTENT_METHODS;

        private boolean idempotent;

        private Builder() {
        }

        private Builder(RetryConfig config) {
            this.enabled = config.enabled;
            this.maxAttempts = config.maxAttempts;
            this.initialDelay = config.initialDelay;
            this.maxDelay = config.maxDelay;
            this.backoffMultiplier = config.backoffMultiplier;
            this.jitter = config.jitter;
            this.retryableStatusCodes = config.retryableStatusCodes;
            this.retryableErrors = config.retryableErrors;
            this.maxRetryAfter = config.maxRetryAfter;
            this.maxElapsed = config.maxElapsed;
            this.retryBudget = config.retryBudget;
            this.nonIdempotentMethods = config.nonIdempotentMethods;
            this.idempotent = config.idempotent;
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
            return this;
        }

        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        public Builder backoffMultiplier(double backoffMultiplier) {
            this.backoffMultiplier = backoffMultiplier;
            return this;
        }

        public Builder jitter(Jitter jitter) {
            this.jitter = jitter;
            return this;
        }

        public Builder retryableStatusCodes(Collection<Integer> retryableStatusCodes) {
            this.retryableStatusCodes = new HashSet<>(retryableStatusCodes);
            return this;
        }

        public Builder retryableStatusCodes(Integer... retryableStatusCodes) {
            return retryableStatusCodes(Arrays.asList(retryableStatusCodes));
        }

        public Builder retryableErrors(Collection<String> retryableErrors) {
            this.retryableErrors = new HashSet<>(retryableErrors);
            return this;
        }

        public Builder retryableErrors(String... retryableErrors) {
            return retryableErrors(Arrays.asList(retryableErrors));
        }

        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
            return this;
        }

        /**
         * Sets the total time a call may take, waits included.
         * @param maxElapsed the limit, or null for none
         */
        public Builder maxElapsed(Duration maxElapsed) {
            this.maxElapsed = maxElapsed;
            return this;
        }

        public Builder retryBudget(RetryBudgetConfig retryBudget) {
            this.retryBudget = retryBudget;
            return this;
        }

        public Builder nonIdempotentMethods(Collection<String> nonIdempotentMethods) {
            this.nonIdempotentMethods = new HashSet<>(nonIdempotentMethods);
            return this;
        }

        public Builder nonIdempotentMethods(String... nonIdempotentMethods) {
            return nonIdempotentMethods(Arrays.asList(nonIdempotentMethods));
        }

        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * Creates the settings.
         * @throws IllegalArgumentException if a value is outside its range
         */
        public RetryConfig build() {
            return new RetryConfig(this.enabled, this.maxAttempts, this.initialDelay, this.maxDelay,
                    this.backoffMultiplier, this.jitter, this.retryableStatusCodes, this.retryableErrors,
                    this.maxRetryAfter, this.maxElapsed, this.retryBudget, this.nonIdempotentMethods, this.idempotent);
        }
    }
}
