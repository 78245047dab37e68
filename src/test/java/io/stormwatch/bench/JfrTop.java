package io.stormwatch.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}) fell: by Storm executor (thread
 * {@code Thread-N-<component>-executor[...]}), by the method on top of the stack (self time), and by the
 * first {@code io.stormwatch} frame on the stack (time spent in or below our code), each as a share of
 * all samples. {@code bin/bench-topology profile} records the throughput benchmark and runs this.
 *
 * <pre>
 * JfrTop RECORDING.jfr [ROWS [Type.method ...]]   (Type.method: what it calls; &lt;Type.method: who calls it)
 * </pre>
 */
public final class JfrTop {

    private JfrTop() {}

    public static void main(String[] args) throws IOException {
        Path recording = Path.of(args[0]);
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        List<String> callees = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<RecordedEvent> samples = events.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample"))
                .filter(e -> e.getStackTrace() != null)
                .toList();
        System.out.println("== " + samples.size() + " CPU samples in " + recording);
        print("by thread (Storm executor)", samples, JfrTop::executor, rows);
        print("by top frame (self)", samples, e -> frameName(e.getStackTrace().getFrames().get(0)), rows);
        print("by first io.stormwatch frame (self + callees)", samples, JfrTop::firstOwnFrame, rows);
        print("by top frame, within Storm's transfer and acking (org.apache.storm.*)", samples.stream()
                .filter(e -> firstOwnFrame(e).equals("(none)")).toList(),
                e -> frameName(e.getStackTrace().getFrames().get(0)), rows);
        for (String method : callees) {
            if (method.startsWith("<")) {
                String callee = method.substring(1);
                print("who calls " + callee, samples.stream().filter(e -> callerOf(e, callee) != null).toList(),
                        e -> callerOf(e, callee), rows);
            } else {
                print("what " + method + " spends its samples in (its direct callees)", samples.stream()
                        .filter(e -> calleeOf(e, method) != null).toList(), e -> calleeOf(e, method), rows);
            }
        }

        List<RecordedEvent> allocations = events.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ObjectAllocationSample"))
                .filter(e -> e.getStackTrace() != null)
                .toList();
        System.out.println();
        System.out.println("== " + allocations.size() + " allocation samples (weighted by bytes)");
        print("allocated bytes by class and first io.stormwatch frame", allocations,
                e -> e.getClass("objectClass").getName() + " in " + firstOwnFrame(e), e -> e.getLong("weight"), rows);
        print("allocated bytes by thread", allocations, JfrTop::executor, e -> e.getLong("weight"), rows);
    }

    private static void print(String title, List<RecordedEvent> samples, Function<RecordedEvent, String> key, int rows) {
        print(title, samples, key, e -> 1, rows);
    }

    private static void print(String title, List<RecordedEvent> samples, Function<RecordedEvent, String> key,
            ToLongFunction<RecordedEvent> weight, int rows) {
        Map<String, Long> totals = new HashMap<>();
        samples.forEach(e -> totals.merge(key.apply(e), weight.applyAsLong(e), Long::sum));
        double all = totals.values().stream().mapToLong(Long::longValue).sum();
        System.out.println();
        System.out.println("-- " + title);
        Bench.Table table = new Bench.Table("share", "weight", "where");
        totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(rows)
                .forEach(en -> table.row(String.format(Locale.ROOT, "%5.1f %%", 100.0 * en.getValue() / all),
                        en.getValue(), en.getKey()));
        table.print(System.out);
    }

    /** {@code Thread-23-parse-executor[5, 5]} → {@code parse}; other threads by name, digits folded. */
    private static String executor(RecordedEvent e) {
        RecordedThread thread = e.hasField("sampledThread") ? e.getThread("sampledThread") : e.getThread();
        String name = thread == null ? null : thread.getJavaName();
        if (name == null) {
            return "?";
        }
        int executor = name.indexOf("-executor[");
        if (name.startsWith("Thread-") && executor > 0) {
            String rest = name.substring("Thread-".length(), executor);
            return rest.substring(rest.indexOf('-') + 1);
        }
        return name.replaceAll("\\d+", "N");
    }

    /** The frame {@code method} (Type.method) called on this stack, "(self)" if it is on top, or null. */
    private static String calleeOf(RecordedEvent e, String method) {
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        for (int i = 0; i < frames.size(); i++) {
            if (frameName(frames.get(i)).equals(method)) {
                return i == 0 ? "(self)" : frameName(frames.get(i - 1));
            }
        }
        return null;
    }

    /** The caller of the topmost {@code method} frame, two levels up to skip a wrapper, or null. */
    private static String callerOf(RecordedEvent e, String method) {
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        for (int i = 0; i < frames.size() - 2; i++) {
            if (frameName(frames.get(i)).equals(method)) {
                return frameName(frames.get(i + 1)) + " < " + frameName(frames.get(i + 2));
            }
        }
        return null;
    }

    private static String firstOwnFrame(RecordedEvent e) {
        RecordedStackTrace stack = e.getStackTrace();
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod().getType().getName().startsWith("io.stormwatch")) {
                return frameName(frame);
            }
        }
        return "(none)";
    }

    private static String frameName(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }
}
