package dev.auditretry.benchmarks.outage;

import dev.auditretry.benchmarks.ComparableSettings;
import dev.auditretry.benchmarks.ComparableSettings.CircuitRule;
import dev.auditretry.core.RetryBudgetConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * Simulates a backend outage under many concurrent clients, through audit-retry and through Resilience4j
 * configured alike, in logical time: the numbers repeat exactly from run to run and do not depend on the
 * machine. Prints a Markdown table and draws the timeline.
 * <p>
 * Usage: {@code java -Djava.awt.headless=true -cp benchmarks.jar dev.auditretry.benchmarks.outage.OutageSimulation
 * [PNG path]}, by default {@code docs/outage-timeline.png}.
 */
public final class OutageSimulation {

    // The budget under test less its floor, which alone adds 10 retries per 10 s whatever the traffic.
    private static final RetryBudgetConfig BUDGET_WITHOUT_FLOOR = RetryBudgetConfig.of(20, Duration.ofSeconds(10), 0);

    private OutageSimulation() {
    }

    public static void main(String[] args) throws IOException {
        Path chartFile = Path.of((args.length > 0) ? args[0] : "docs/outage-timeline.png");
        OutageScenario scenario = OutageScenario.standard();

        List<Variant> variants = List.of(
                new Variant("audit-retry, default retry", true, true,
                        (loop, log) -> Protection.auditRetry(loop, log, RetryBudgetConfig.DEFAULT, CircuitRule.FAILURE_RATE, true)),
                new Variant("audit-retry, retry budget", true, true,
                        (loop, log) -> Protection.auditRetry(loop, log, ComparableSettings.RETRY_BUDGET,
                                CircuitRule.FAILURE_RATE, true)),
                new Variant("Resilience4j 2.4.0", true, true,
                        (loop, log) -> Protection.resilience4j(loop, log, true)),
                new Variant("audit-retry, default retry, count rule", true, false,
                        (loop, log) -> Protection.auditRetry(loop, log, RetryBudgetConfig.DEFAULT,
                                CircuitRule.FAILURE_COUNT, true)),
                new Variant("audit-retry, default retry, no circuit", false, false,
                        (loop, log) -> Protection.auditRetry(loop, log, RetryBudgetConfig.DEFAULT, CircuitRule.FAILURE_RATE, false)),
                new Variant("audit-retry, retry budget, no circuit", false, false,
                        (loop, log) -> Protection.auditRetry(loop, log, ComparableSettings.RETRY_BUDGET,
                                CircuitRule.FAILURE_RATE, false)),
                new Variant("audit-retry, retry budget without the 1/s floor, no circuit", false, false,
                        (loop, log) -> Protection.auditRetry(loop, log, BUDGET_WITHOUT_FLOOR, CircuitRule.FAILURE_RATE,
                                false)),
                new Variant("Resilience4j 2.4.0, Retry only", false, false,
                        (loop, log) -> Protection.resilience4j(loop, log, false)));

        List<RunSummary> summaries = new ArrayList<>();
        List<TimelineChart.Run> charted = new ArrayList<>();
        for (Variant variant : variants) {
            RunLog log = run(scenario, variant);
            summaries.add(RunSummary.of(variant.name(), log));
            if (variant.charted()) {
                charted.add(new TimelineChart.Run(variant.name(), log));
            }
        }

        printScenario(scenario);
        printTable(scenario, summaries);
        TimelineChart.write(scenario, charted, chartFile);
        System.out.println();
        System.out.println("Timeline written to " + chartFile.toAbsolutePath());
    }

    private static RunLog run(OutageScenario scenario, Variant variant) {
        EventLoop loop = new EventLoop();
        RunLog log = new RunLog(scenario, variant.circuitEnabled());
        Backend backend = new Backend(loop, scenario, log);
        Protection protection = variant.factory().apply(loop, log);

        for (int client = 0; client < scenario.clients(); client++) {
            long firstCallMillis = client * scenario.clientOffsetMillis();
            for (long at = firstCallMillis; at < scenario.lastCallMillis(); at += scenario.callIntervalMillis()) {
                loop.scheduleAt(at, () -> {
                    CallLog call = log.startCall(loop.elapsedMillis());
                    protection.call(() -> backend.handle(call))
                            .whenComplete((value, error) -> log.finishCall(call, loop.elapsedMillis(), outcome(error)));
                });
            }
        }
        loop.runToCompletion();
        return log;
    }

    private static CallLog.Outcome outcome(Throwable error) {
        if (error == null) {
            return CallLog.Outcome.SUCCEEDED;
        }
        Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
        boolean rejected = cause instanceof CircuitBreakerOpenException || cause instanceof CallNotPermittedException;
        return rejected ? CallLog.Outcome.REJECTED : CallLog.Outcome.FAILED;
    }

    private static void printScenario(OutageScenario scenario) {
        System.out.printf(Locale.ROOT, "%d clients, %.0f calls/s in total, backend latency %d ms, outage from %.1f s"
                + " to %.1f s, calls issued until %.1f s%n%n", scenario.clients(), scenario.callsPerSecond(),
                scenario.latencyMillis(), seconds(scenario.outageStartMillis()), seconds(scenario.outageEndMillis()),
                seconds(scenario.lastCallMillis()));
    }

    private static void printTable(OutageScenario scenario, List<RunSummary> summaries) {
        System.out.println("| Run | Calls in outage | Backend requests | Requests per call | Requests per admitted"
                + " call | Circuit opened at | Calls reaching failing backend before open | First success after"
                + " recovery | Unsuccessful calls after recovery | Succeeded / failed / rejected in outage |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (RunSummary summary : summaries) {
            String opened = (summary.circuitOpenedAtMillis() < 0) ? "never"
                    : String.format(Locale.ROOT, "%.3f s", seconds(summary.circuitOpenedAtMillis()));
            String recovery = (summary.firstSuccessAfterRecoveryMillis() < 0) ? "none"
                    : String.format(Locale.ROOT, "+%d ms", summary.firstSuccessAfterRecoveryMillis()
                            - scenario.outageEndMillis());
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %s | %d | %s | %d | %d / %d / %d |%n",
                    summary.name(), summary.callsDuringOutage(), summary.requestsDuringOutage(),
                    summary.requestsPerCall(), summary.requestsPerAdmittedCall(), opened, summary.callsBeforeOpen(),
                    recovery, summary.unsuccessfulCallsAfterRecovery(), summary.succeeded(), summary.failed(),
                    summary.rejected());
        }
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    /**
     * One run's library and settings.
     * @param circuitEnabled whether calls pass through a circuit
     * @param charted whether the timeline shows the run
     */
    private record Variant(String name, boolean circuitEnabled, boolean charted,
            BiFunction<EventLoop, RunLog, Protection> factory) {
    }
}
