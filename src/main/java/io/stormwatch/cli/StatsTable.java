package io.stormwatch.cli;

import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link StatsReport} as a table for people. The machine-readable form is {@code --json}, which lists
 * every client over the threshold; the table lists the first {@value #CLIENT_ROWS}.
 */
final class StatsTable {

    static final int CLIENT_ROWS = 20;

    private StatsTable() {}

    static void print(StatsReport r, int files, PrintWriter out) {
        long lines = r.records() + r.rejected();
        out.println("Summary");
        row(out, "files", count(files));
        row(out, "lines", count(lines));
        row(out, "records", count(r.records()));
        row(out, "rejected", count(r.rejected()) + " (" + percent(r.rejected(), lines) + ")");

        out.println();
        out.println("Content size (bytes)");
        row(out, "sum", count(r.contentSize().sum()));
        row(out, "min", count(r.contentSize().min()));
        row(out, "max", count(r.contentSize().max()));
        row(out, "avg", count(r.contentSize().avg()));

        out.println();
        out.println("Response codes");
        if (r.responseCodes().isEmpty()) {
            out.println("  (none)");
        }
        r.responseCodes().forEach((code, n) ->
                out.println(String.format(Locale.ROOT, "  %-5d %10s %8s", code, count(n), percent(n, r.records()))));

        out.println();
        out.println("Clients with more than " + count(r.clientThreshold()) + " requests: " + count(r.clientsOver().size()));
        int shown = 0;
        for (Map.Entry<String, Long> e : r.clientsOver().entrySet()) {
            if (shown++ == CLIENT_ROWS) {
                out.println("  ... and " + count(r.clientsOver().size() - CLIENT_ROWS) + " more (--json lists all)");
                break;
            }
            out.println(String.format(Locale.ROOT, "  %10s  %s", count(e.getValue()), e.getKey()));
        }

        out.println();
        out.println("Top endpoints");
        if (r.topEndpoints().isEmpty()) {
            out.println("  (none)");
        }
        for (LogStats.EndpointCount e : r.topEndpoints()) {
            out.println(String.format(Locale.ROOT, "  %10s  %s", count(e.count()), e.endpoint()));
        }

        out.println();
        out.println("Rejected lines by reason");
        if (r.rejectReasons().isEmpty()) {
            out.println("  (none)");
        }
        for (Map.Entry<String, Long> e : r.rejectReasons().entrySet()) {
            row(out, e.getKey(), count(e.getValue()));
        }

        out.println();
        out.println("Event time (UTC)");
        row(out, "first", r.firstTime() == null ? "-" : r.firstTime().toString());
        row(out, "last", r.lastTime() == null ? "-" : r.lastTime().toString());
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, "  %-14s %s", label, value));
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }
}
