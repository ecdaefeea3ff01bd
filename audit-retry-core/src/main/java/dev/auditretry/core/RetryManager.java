package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreaker;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.CircuitBreakerState;
import dev.auditretry.core.circuit.CircuitBreakerStats;
import dev.auditretry.core.circuit.Permit;
import dev.auditretry.core.classify.DefaultErrorClassifier;
import dev.auditretry.core.classify.ErrorCategory;
import dev.auditretry.core.classify.ErrorClassifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls to remote endpoints, retrying transient failures with exponential backoff and jitter, so that
 * clients recovering together do not retry in lockstep, and failing fast through a circuit per endpoint while
 * the endpoint is down.
 * <p>
 * Every attempt, not only the first, passes through the circuit of its key {@code endpoint:METHOD}, so retrying
 * stops the moment the circuit opens. Settings can be changed at run time with {@link #updateConfig} and
 * {@link #updateCircuitBreakerConfig}; they apply from the next attempt on, and circuits keep their state.
 * <p>
 * Thread-safe: one instance is shared by all callers.
 */
public final class RetryManager {

    private static final Logger logger = LoggerFactory.getLogger(RetryManager.class);

    private final AtomicReference<Settings> settings;

    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    private final List<RetryListener> listeners;

    private final ErrorClassifier classifier;

    private final Clock clock;

    private final Sleeper sleeper;

    private final DelayScheduler delayScheduler;

    private final RandomGenerator random;

    private final BatchExecutor batchExecutor;

    private final RetryLoop loop = new RetryLoop(this);

    private final CircuitEviction eviction = new CircuitEviction(this);

    private RetryManager(Builder builder) {
        Settings initial = new Settings(1, builder.retryConfig, builder.circuitBreakerConfig, builder.overrides);
        initial.validateOverrides();
        this.settings = new AtomicReference<>(initial);
        this.listeners = new CopyOnWriteArrayList<>(builder.listeners);
        this.classifier = builder.classifier;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.delayScheduler = builder.delayScheduler;
        this.random = builder.random;
        this.batchExecutor = new BatchExecutor(builder.executor);
    }

    /** Returns a manager with the default settings, the system clock and real sleeping. */
    public static RetryManager createDefault() {
        return builder().build();
    }

    /**
     * Returns a manager with the given settings, the system clock and real sleeping.
     * @param retryConfig the global retry settings
     * @param circuitBreakerConfig the global circuit settings
     */
    public static RetryManager create(RetryConfig retryConfig, CircuitBreakerConfig circuitBreakerConfig) {
        return builder().retryConfig(retryConfig).circuitBreakerConfig(circuitBreakerConfig).build();
    }

    /**
     * Returns a manager with the given retry settings and the default circuit settings.
     * @param retryConfig the global retry settings
     */
    public static RetryManager create(RetryConfig retryConfig) {
        return builder().retryConfig(retryConfig).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Calls the operation until it succeeds, fails with a failure that is not retried, or runs out of attempts.
     * @param context the endpoint, which selects the circuit and the settings
     * @param operation the operation, called once per attempt
     * @return what the operation returned
     * @throws E the operation's own failure, unchanged, when it is not retried or maxAttempts is 1
     * @throws RetryExhaustedException when every allowed attempt failed with a retryable failure, with the last
     *         one as its cause
     * @throws CircuitBreakerOpenException when the circuit rejected an attempt, with the previous attempt's
     *         failure as its cause if there was one
     */
    public <T, E extends Exception> T execute(RetryContext context, RetryableCall<T, E> operation) throws E {
        return execute(context, CallOptions.NONE, operation);
    }

    /**
     * Calls the operation as a GET of the endpoint; see {@link #execute(RetryContext, RetryableCall)}.
     * @param endpoint the endpoint, such as {@code /ledger/entries}
     * @param operation the operation, called once per attempt
     * @return what the operation returned
     * @throws E the operation's own failure, unchanged, when it is not retried or maxAttempts is 1
     * @throws RetryExhaustedException when every allowed attempt failed with a retryable failure
     * @throws CircuitBreakerOpenException when the circuit rejected an attempt
     */
    public <T, E extends Exception> T execute(String endpoint, RetryableCall<T, E> operation) throws E {
        return execute(RetryContext.of(endpoint), CallOptions.NONE, operation);
    }

    /**
     * Calls the operation with settings of the call site that refine the endpoint's settings; see
     * {@link #execute(RetryContext, RetryableCall)}.
     * @param context the endpoint, which selects the circuit and the settings
     * @param options the call site's refinements
     * @param operation the operation, called once per attempt
     * @return what the operation returned
     * @throws E the operation's own failure, unchanged, when it is not retried or maxAttempts is 1
     * @throws RetryExhaustedException when every allowed attempt failed with a retryable failure
     * @throws CircuitBreakerOpenException when the circuit rejected an attempt
     */
    public <T, E extends Exception> T execute(RetryContext context, CallOptions options,
            RetryableCall<T, E> operation) throws E {
        Objects.requireNonNull(context, "context must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Objects.requireNonNull(operation, "operation must not be null");
        return this.loop.run(endpointFor(context), context, options, operation, null);
    }

    /**
     * Calls an asynchronous operation until its stage completes normally, fails with a failure that is not
     * retried, or runs out of attempts, with the rules of {@link #execute(RetryContext, RetryableCall)}.
     * <p>
     * The operation is called again for every attempt, and waits between attempts are scheduled with the
     * builder's {@link DelayScheduler}, so no thread blocks. Each attempt passes the circuit, which records its
     * outcome when its stage completes. Failures wrapped in {@link java.util.concurrent.CompletionException} or
     * {@link java.util.concurrent.ExecutionException} are unwrapped before they are classified and before they
     * complete the result. Cancelling the result stops further attempts, cancels the attempt's stage if it is a
     * {@link CompletableFuture}, and releases the attempt's permit, so a half-open circuit is not left waiting.
     * @param context the endpoint, which selects the circuit and the settings
     * @param operation returns the stage of one attempt
     * @return a future of the value, completed exceptionally with what {@code execute} would throw
     */
    public <T> CompletableFuture<T> executeAsync(RetryContext context, Supplier<? extends CompletionStage<T>> operation) {
        return executeAsync(context, CallOptions.NONE, operation);
    }

    /**
     * Calls an asynchronous operation with settings of the call site; see
     * {@link #executeAsync(RetryContext, Supplier)}.
     * @param context the endpoint, which selects the circuit and the settings
     * @param options the call site's refinements
     * @param operation returns the stage of one attempt
     * @return a future of the value, completed exceptionally with what {@code execute} would throw
     */
    public <T> CompletableFuture<T> executeAsync(RetryContext context, CallOptions options,
            Supplier<? extends CompletionStage<T>> operation) {
        Objects.requireNonNull(context, "context must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Objects.requireNonNull(operation, "operation must not be null");
        return new AsyncRetryLoop<>(this, this.loop, endpointFor(context), context, options, operation).start();
    }

    /**
     * Calls the operations concurrently, each with its own context, and waits for all of them. Each call
     * retries and passes its circuit as in {@link #execute(RetryContext, RetryableCall)}.
     * <p>
     * Calls run on virtual threads on Java 21 and later, and on a bounded pool of daemon threads on Java 17,
     * unless the builder was given an executor. If the calling thread is interrupted while waiting, unfinished
     * calls are cancelled and their results carry a {@link java.util.concurrent.CancellationException}.
     * @param contexts the endpoint of each call
     * @param operations the operations, in the same order
     * @return one result per operation, in input order
     * @throws IllegalArgumentException if the lists differ in size
     */
    public <T> List<RetryResult<T>> executeAll(List<RetryContext> contexts,
            List<? extends RetryableCall<? extends T, ?>> operations) {
        Objects.requireNonNull(contexts, "contexts must not be null");
        Objects.requireNonNull(operations, "operations must not be null");
        if (contexts.size() != operations.size()) {
            throw new IllegalArgumentException("contexts and operations must have the same size, but contexts has "
                    + contexts.size() + " elements and operations has " + operations.size());
        }
        List<BatchExecutor.Task<T>> tasks = new ArrayList<>(contexts.size());
        for (int i = 0; i < contexts.size(); i++) {
            RetryContext context = Objects.requireNonNull(contexts.get(i), "contexts must not contain null");
            RetryableCall<? extends T, ?> operation =
                    Objects.requireNonNull(operations.get(i), "operations must not contain null");
            tasks.add(new BatchExecutor.Task<>(this, context, operation));
        }
        return this.batchExecutor.runAll(tasks, this.clock);
    }

    /** Returns a snapshot of every circuit whose circuit breaker is enabled, by key in sorted order. */
    public Map<String, CircuitBreakerStats> getCircuitBreakerStats() {
        Map<String, CircuitBreakerStats> stats = new TreeMap<>();
        Settings current = this.settings.get();
        for (Endpoint endpoint : this.endpoints.values()) {
            if (endpoint.settings(current).circuitBreaker().enabled()) {
                stats.put(endpoint.context().getCircuitKey(), endpoint.circuitBreaker().getStats());
            }
        }
        return Collections.unmodifiableMap(stats);
    }

    /**
     * Returns a snapshot of one circuit. Reading never takes a permit and never changes state.
     * @param key the full key {@code endpoint:METHOD}, or a bare endpoint meaning {@code endpoint:GET}
     * @return the snapshot, or empty when no such circuit exists or its circuit breaker is disabled
     */
    public Optional<CircuitBreakerStats> getCircuitBreakerStats(String key) {
        Settings current = this.settings.get();
        return findEndpoint(key).filter((endpoint) -> endpoint.settings(current).circuitBreaker().enabled())
                .map((endpoint) -> endpoint.circuitBreaker().getStats());
    }

    /** Returns the keys of all circuits created so far, in sorted order. */
    public Set<String> getCircuitKeys() {
        return Collections.unmodifiableSet(new TreeSet<>(this.endpoints.keySet()));
    }

    /**
     * Closes one circuit with zero counts and no pending recovery timer. Never creates a circuit.
     * @param key the full key {@code endpoint:METHOD}, or a bare endpoint meaning {@code endpoint:GET}
     * @return whether a circuit with this key existed
     */
    public boolean resetCircuitBreaker(String key) {
        Optional<Endpoint> endpoint = findEndpoint(key);
        endpoint.ifPresent((found) -> found.circuitBreaker().reset());
        return endpoint.isPresent();
    }

    /**
     * Removes one circuit with its state and counts, and reports it to listeners so that its meters can go too.
     * The next call to the key creates a new closed circuit; calls in progress finish on the removed one.
     * @param key the full key {@code endpoint:METHOD}, or a bare endpoint meaning {@code endpoint:GET}
     * @return whether a circuit with this key existed
     */
    public boolean removeCircuitBreaker(String key) {
        Optional<Endpoint> endpoint = findEndpoint(key);
        if (endpoint.isEmpty()) {
            return false;
        }
        String circuitKey = endpoint.get().context().getCircuitKey();
        if (!this.endpoints.remove(circuitKey, endpoint.get())) {
            return false;
        }
        notifyCircuitRemoved(circuitKey);
        return true;
    }

    /**
     * Closes every circuit with zero counts and no pending recovery timer.
     * @return how many circuits were reset
     */
    public int resetAllCircuitBreakers() {
        int count = 0;
        for (Endpoint endpoint : this.endpoints.values()) {
            endpoint.circuitBreaker().reset();
            count++;
        }
        return count;
    }

    /**
     * Replaces the global retry settings. Calls in progress use them from their next attempt on; endpoint
     * overrides are applied to them again.
     * @param retryConfig the new settings
     * @throws IllegalArgumentException if an endpoint override produces invalid settings from them; nothing
     *         changes then
     */
    public void updateConfig(RetryConfig retryConfig) {
        Objects.requireNonNull(retryConfig, "retryConfig must not be null");
        updateSettings((current) -> current.withRetry(retryConfig));
    }

    /**
     * Replaces the global circuit settings. Existing circuits keep their state and use them from the next
     * attempt on; endpoint overrides are applied to them again.
     * @param circuitBreakerConfig the new settings
     * @throws IllegalArgumentException if an endpoint override produces invalid settings from them; nothing
     *         changes then
     */
    public void updateCircuitBreakerConfig(CircuitBreakerConfig circuitBreakerConfig) {
        Objects.requireNonNull(circuitBreakerConfig, "circuitBreakerConfig must not be null");
        updateSettings((current) -> current.withCircuitBreaker(circuitBreakerConfig));
    }

    /** Returns the global retry settings, before endpoint overrides. */
    public RetryConfig getConfig() {
        return this.settings.get().retry();
    }

    /** Returns the global circuit settings, before endpoint overrides. */
    public CircuitBreakerConfig getCircuitBreakerConfig() {
        return this.settings.get().circuitBreaker();
    }

    /**
     * Returns the retry settings that calls to this endpoint use, with its override applied.
     * @param context the endpoint and method
     */
    public RetryConfig getEffectiveConfig(RetryContext context) {
        return effectiveSettings(context).retry();
    }

    /**
     * Returns the circuit settings that calls to this endpoint use, with its override applied.
     * @param context the endpoint and method
     */
    public CircuitBreakerConfig getEffectiveCircuitBreakerConfig(RetryContext context) {
        return effectiveSettings(context).circuitBreaker();
    }

    /**
     * Classifies a failure the way a call to this endpoint with these options does, without calling anything or
     * creating a circuit. A caller that received a failure unchanged uses it to tell a failure that was never
     * retried from a retryable one that used up its only attempt.
     * @param failure what the operation threw
     * @param context the endpoint, which selects the settings
     * @param options the call site's refinements
     * @return the category, never null
     */
    public ErrorCategory classify(Throwable failure, RetryContext context, CallOptions options) {
        Objects.requireNonNull(failure, "failure must not be null");
        Objects.requireNonNull(context, "context must not be null");
        Objects.requireNonNull(options, "options must not be null");
        RetryConfig config = options.applyTo(getEffectiveConfig(context));
        return classify(failure, config, options);
    }

    /**
     * Adds a listener for the events of all circuits and calls.
     * @param listener the listener
     */
    public void addListener(RetryListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
    }

    /**
     * Removes a listener added earlier.
     * @param listener the listener
     * @return whether it was registered
     */
    public boolean removeListener(RetryListener listener) {
        return this.listeners.remove(listener);
    }

    public Clock getClock() {
        return this.clock;
    }

    private Settings.Resolved effectiveSettings(RetryContext context) {
        Endpoint existing = this.endpoints.get(context.getCircuitKey());
        Settings current = this.settings.get();
        return (existing != null) ? existing.settings(current) : current.resolve(context);
    }

    private void updateSettings(UnaryOperator<Settings> change) {
        Settings updated;
        while (true) {
            Settings current = this.settings.get();
            updated = change.apply(current);
            updated.validateOverrides();
            if (this.settings.compareAndSet(current, updated)) {
                break;
            }
        }
        for (Endpoint endpoint : this.endpoints.values()) {
            endpoint.settings(updated);
        }
    }

    // Looks up the key as given, then with its method part in upper case, as RetryContext stores it, then as a
    // bare endpoint of a GET circuit.
    private Optional<Endpoint> findEndpoint(String key) {
        Objects.requireNonNull(key, "key must not be null");
        Endpoint endpoint = this.endpoints.get(key);
        int colon = key.lastIndexOf(':');
        if (endpoint == null && colon > 0 && colon < key.length() - 1) {
            String method = key.substring(colon + 1);
            endpoint = this.endpoints.get(key.substring(0, colon + 1) + method.toUpperCase(java.util.Locale.ROOT));
        }
        if (endpoint == null) {
            endpoint = this.endpoints.get(RetryContext.circuitKey(key, RetryContext.DEFAULT_METHOD));
        }
        return Optional.ofNullable(endpoint);
    }

    Endpoint endpointFor(RetryContext context) {
        Endpoint existing = this.endpoints.get(context.getCircuitKey());
        if (existing != null) {
            return existing;
        }
        Endpoint[] created = new Endpoint[1];
        Endpoint endpoint = this.endpoints.computeIfAbsent(context.getCircuitKey(), (key) -> {
            created[0] = new Endpoint(context, this.settings.get(), this.clock, this::notifyStateChange);
            return created[0];
        });
        if (created[0] == endpoint) {
            for (RetryListener listener : this.listeners) {
                notifySafely(listener, endpoint.context().getCircuitKey(),
                        (target) -> target.onCircuitCreated(endpoint.context().getCircuitKey()));
            }
            int maxCircuits = this.settings.get().circuitBreaker().maxCircuits();
            if (this.endpoints.size() > maxCircuits) {
                this.eviction.evict(this.endpoints, maxCircuits, endpoint);
            }
        }
        return endpoint;
    }

    void notifyCircuitRemoved(String circuitKey) {
        for (RetryListener listener : this.listeners) {
            notifySafely(listener, circuitKey, (target) -> target.onCircuitRemoved(circuitKey));
        }
    }

    <T> T executeCounted(RetryContext context, RetryableCall<? extends T, ?> operation,
            RetryLoop.AttemptCounter counter) throws Exception {
        return this.loop.run(endpointFor(context), context, CallOptions.NONE, operation, counter);
    }

    Settings currentSettings() {
        return this.settings.get();
    }

    ErrorCategory classify(Throwable failure, RetryConfig config, CallOptions options) {
        if (CallOptions.matchesAny(failure, options.noRetryFor())) {
            ErrorCategory category = this.classifier.classify(failure, config);
            return category.isRetryable() ? ErrorCategory.PERMANENT : category;
        }
        if (CallOptions.matchesAny(failure, options.retryFor())) {
            return ErrorCategory.TRANSIENT;
        }
        return this.classifier.classify(failure, config);
    }

    static void record(CircuitBreaker circuitBreaker, Permit permit, ErrorCategory category) {
        switch (category) {
            case TRANSIENT, PERMANENT -> circuitBreaker.recordFailure(permit);
            case CLIENT_ERROR -> circuitBreaker.recordClientError(permit);
            case CANCELLED, CIRCUIT_OPEN -> circuitBreaker.releasePermission(permit);
        }
    }

    Clock clock() {
        return this.clock;
    }

    ErrorClassifier classifier() {
        return this.classifier;
    }

    Sleeper sleeper() {
        return this.sleeper;
    }

    DelayScheduler delayScheduler() {
        return this.delayScheduler;
    }

    RandomGenerator random() {
        return this.random;
    }

    void notifyRetryScheduled(RetryContext context, int failedAttempt, Duration delay, Throwable cause) {
        for (RetryListener listener : this.listeners) {
            notifySafely(listener, context.getCircuitKey(),
                    (target) -> target.onRetryScheduled(context, failedAttempt, delay, cause));
        }
    }

    void notifyRetryStopped(RetryContext context, RetryStop reason, int attempts, Throwable failure) {
        for (RetryListener listener : this.listeners) {
            notifySafely(listener, context.getCircuitKey(),
                    (target) -> target.onRetryStopped(context, reason, attempts, failure));
        }
    }

    // Reads the clock only when a listener wants the elapsed time, so a call without listeners saves that read.
    void notifyCallFinished(RetryContext context, CallOutcome outcome, int attempts, long startMillis,
            Throwable error) {
        if (this.listeners.isEmpty()) {
            return;
        }
        Duration elapsed = Duration.ofMillis(Math.max(0, this.clock.millis() - startMillis));
        for (RetryListener listener : this.listeners) {
            notifySafely(listener, context.getCircuitKey(),
                    (target) -> target.onCallFinished(context, outcome, attempts, elapsed, error));
        }
    }

    private void notifyStateChange(String key, CircuitBreakerState from, CircuitBreakerState to) {
        for (RetryListener listener : this.listeners) {
            notifySafely(listener, key, (target) -> target.onCircuitStateChange(key, from, to));
        }
    }

    private static void notifySafely(RetryListener listener, String key, java.util.function.Consumer<RetryListener> event) {
        try {
            event.accept(listener);
        }
        catch (RuntimeException ex) {
            logger.warn("Retry listener {} failed for '{}'", listener.getClass().getName(), key, ex);
        }
    }

    /**
     * Builds a {@link RetryManager}. Everything has a default: the default settings, the system clock, real
     * sleeping, {@link DefaultErrorClassifier} and thread-local randomness.
     */
    public static final class Builder {

        private RetryConfig retryConfig = RetryConfig.defaults();

        private CircuitBreakerConfig circuitBreakerConfig = CircuitBreakerConfig.defaults();

        private final Map<String, EndpointOverride> overrides = new LinkedHashMap<>();

        private final List<RetryListener> listeners = new ArrayList<>();

        private ErrorClassifier classifier = new DefaultErrorClassifier();

        private Clock clock = Clock.systemUTC();

        private Sleeper sleeper = Sleeper.threadSleep();

        private DelayScheduler delayScheduler = DelayScheduler.commonPool();

        private RandomGenerator random = ThreadLocalRandomGenerator.INSTANCE;

        private Executor executor;

        private Builder() {
        }

        public Builder retryConfig(RetryConfig retryConfig) {
            this.retryConfig = Objects.requireNonNull(retryConfig, "retryConfig must not be null");
            return this;
        }

        public Builder circuitBreakerConfig(CircuitBreakerConfig circuitBreakerConfig) {
            this.circuitBreakerConfig =
                    Objects.requireNonNull(circuitBreakerConfig, "circuitBreakerConfig must not be null");
            return this;
        }

        /**
         * Sets the settings of one endpoint as changes to the global ones.
         * @param key a full key {@code endpoint:METHOD}, or a bare endpoint for every method; a full key wins
         * @param override the changes
         */
        public Builder endpointOverride(String key, EndpointOverride override) {
            Objects.requireNonNull(key, "key must not be null");
            if (key.isBlank()) {
                throw new IllegalArgumentException("endpoint override key must not be blank");
            }
            this.overrides.put(key, Objects.requireNonNull(override, "override must not be null"));
            return this;
        }

        public Builder listener(RetryListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        public Builder classifier(ErrorClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier must not be null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
            return this;
        }

        /**
         * Sets how {@link RetryManager#executeAsync} waits between attempts.
         * @param delayScheduler the scheduler of waits
         */
        public Builder delayScheduler(DelayScheduler delayScheduler) {
            this.delayScheduler = Objects.requireNonNull(delayScheduler, "delayScheduler must not be null");
            return this;
        }

        /**
         * Sets the random source of jitter. It is shared by all threads, so it must be thread-safe.
         * @param random the random source
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random must not be null");
            return this;
        }

        /**
         * Sets the executor of {@link RetryManager#executeAll}, replacing virtual threads or the built-in pool.
         * @param executor the executor
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * Creates the manager.
         * @throws IllegalArgumentException if an endpoint override produces invalid settings
         */
        public RetryManager build() {
            return new RetryManager(this);
        }
    }
}
