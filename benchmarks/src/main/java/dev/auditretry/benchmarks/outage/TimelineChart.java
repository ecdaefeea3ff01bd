package dev.auditretry.benchmarks.outage;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the timeline of the runs: one subplot per run, sharing the time axis, each with the backend requests per
 * interval (first attempts and retries stacked), the circuit's state as a step line, and the outage shaded.
 */
final class TimelineChart {

    private static final int WIDTH = 1400;

    private static final int HEIGHT = 1050;

    private static final Color FIRST_ATTEMPT_COLOR = new Color(0x4C72B0);

    private static final Color RETRY_COLOR = new Color(0xDD8452);

    private static final Color STATE_COLOR = Color.BLACK;

    private static final Color OUTAGE_COLOR = new Color(255, 0, 0, 40);

    private static final BasicStroke STATE_STROKE = new BasicStroke(2.0f);

    private TimelineChart() {
    }

    /**
     * A run to draw.
     * @param name the subplot's label
     * @param log what happened in the run
     */
    record Run(String name, RunLog log) {
    }

    /**
     * Writes the chart as a PNG, creating the folder if needed.
     * @param runs the runs, drawn top to bottom
     * @param file where to write the PNG
     * @throws IOException if the file cannot be written
     */
    static void write(OutageScenario scenario, List<Run> runs, Path file) throws IOException {
        double endSeconds = (scenario.lastCallMillis() + 5_000) / 1000.0;
        NumberAxis timeAxis = new NumberAxis("time since the simulation began (s)");
        timeAxis.setRange(0, endSeconds);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(timeAxis);
        combined.setGap(12);

        double maxRequests = 1;
        for (Run run : runs) {
            maxRequests = Math.max(maxRequests, maxPerBucket(run.log()));
        }
        for (Run run : runs) {
            combined.add(subplot(scenario, run, maxRequests * 1.15, endSeconds), 1);
        }
        combined.setFixedLegendItems(legend());

        String bucket = formatSeconds(scenario.bucketMillis());
        JFreeChart chart = new JFreeChart("Backend outage: requests and circuit state over time",
                JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT,
                "%d clients, %.0f calls/s in total; backend fails every request from %s s to %s s;"
                        + " bars are backend requests per %s s interval (logical time)",
                scenario.clients(), scenario.callsPerSecond(), formatSeconds(scenario.outageStartMillis()),
                formatSeconds(scenario.outageEndMillis()), bucket)));
        chart.setBackgroundPaint(Color.WHITE);

        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static XYPlot subplot(OutageScenario scenario, Run run, double maxRequests, double endSeconds) {
        RunLog log = run.log();
        double bucketSeconds = scenario.bucketMillis() / 1000.0;
        XYSeries firstAttempts = new XYSeries("first attempts", true, false);
        XYSeries retries = new XYSeries("retries", true, false);
        for (int bucket = 0; bucket * bucketSeconds < endSeconds; bucket++) {
            double middle = (bucket + 0.5) * bucketSeconds;
            firstAttempts.add(middle, log.firstRequests()[bucket]);
            retries.add(middle, log.retryRequests()[bucket]);
        }
        DefaultTableXYDataset requests = new DefaultTableXYDataset();
        requests.addSeries(firstAttempts);
        requests.addSeries(retries);
        requests.setIntervalWidth(bucketSeconds);

        StackedXYBarRenderer bars = new StackedXYBarRenderer(0.1);
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(false);
        bars.setSeriesPaint(0, FIRST_ATTEMPT_COLOR);
        bars.setSeriesPaint(1, RETRY_COLOR);

        NumberAxis requestAxis = new NumberAxis("requests per " + formatSeconds(scenario.bucketMillis()) + " s");
        requestAxis.setRange(0, maxRequests);
        XYPlot plot = new XYPlot(requests, null, requestAxis, bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);

        SymbolAxis stateAxis = new SymbolAxis("circuit", stateNames());
        stateAxis.setGridBandsVisible(false);
        stateAxis.setRange(-0.3, CircuitState.values().length - 0.7);
        plot.setRangeAxis(1, stateAxis);
        plot.setDataset(1, new XYSeriesCollection(stateSeries(log, endSeconds)));
        plot.mapDatasetToRangeAxis(1, 1);
        XYStepRenderer steps = new XYStepRenderer();
        steps.setSeriesPaint(0, STATE_COLOR);
        steps.setSeriesStroke(0, STATE_STROKE);
        plot.setRenderer(1, steps);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);

        IntervalMarker outage = new IntervalMarker(scenario.outageStartMillis() / 1000.0,
                scenario.outageEndMillis() / 1000.0, OUTAGE_COLOR);
        plot.addDomainMarker(outage, Layer.BACKGROUND);

        TextTitle label = new TextTitle(run.name(), new Font(Font.SANS_SERIF, Font.BOLD, 14));
        label.setBackgroundPaint(new Color(255, 255, 255, 220));
        label.setPadding(new RectangleInsets(2, 6, 2, 6));
        plot.addAnnotation(new XYTitleAnnotation(0.005, 0.98, label, RectangleAnchor.TOP_LEFT));
        return plot;
    }

    private static XYSeries stateSeries(RunLog log, double endSeconds) {
        XYSeries states = new XYSeries("circuit state", true, true);
        CircuitState last = CircuitState.CLOSED;
        for (RunLog.StateChange change : log.stateChanges()) {
            states.add(change.atMillis() / 1000.0, change.state().ordinal());
            last = change.state();
        }
        states.add(endSeconds, last.ordinal());
        return states;
    }

    private static String[] stateNames() {
        CircuitState[] states = CircuitState.values();
        String[] names = new String[states.length];
        for (int i = 0; i < states.length; i++) {
            names[i] = states[i].name();
        }
        return names;
    }

    private static double maxPerBucket(RunLog log) {
        int max = 0;
        for (int bucket = 0; bucket < log.firstRequests().length; bucket++) {
            max = Math.max(max, log.firstRequests()[bucket] + log.retryRequests()[bucket]);
        }
        return max;
    }

    private static LegendItemCollection legend() {
        LegendItemCollection items = new LegendItemCollection();
        Rectangle2D box = new Rectangle2D.Double(-6, -6, 12, 12);
        items.add(new LegendItem("backend requests: first attempts", null, null, null, box, FIRST_ATTEMPT_COLOR));
        items.add(new LegendItem("backend requests: retries", null, null, null, box, RETRY_COLOR));
        items.add(new LegendItem("circuit state (right axis)", null, null, null, new Line2D.Double(-10, 0, 10, 0),
                STATE_STROKE, STATE_COLOR));
        items.add(new LegendItem("backend outage (every request fails)", null, null, null, box,
                new Color(255, 0, 0, 70)));
        return items;
    }

    private static String formatSeconds(long millis) {
        return (millis % 1000 == 0) ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
