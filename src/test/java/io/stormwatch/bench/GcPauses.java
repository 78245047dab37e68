package io.stormwatch.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The GC pauses of this JVM while it listens (JMX GC notifications), as {@code System.nanoTime} intervals, so
 * that slow tuples can be matched against them. Start and end come from the collection's JVM uptime in
 * milliseconds, so intervals are good to about a millisecond. Concurrent cycles (G1's marking) are not pauses
 * and are left out.
 */
final class GcPauses implements NotificationListener, AutoCloseable {

    private final List<long[]> pauses = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    GcPauses() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        if (info.getGcName().contains("Concurrent") || info.getGcName().contains("Cycles")) {
            return;
        }
        long uptimeNow = ManagementFactory.getRuntimeMXBean().getUptime();
        long nanoNow = System.nanoTime();
        long start = nanoNow - (uptimeNow - info.getGcInfo().getStartTime()) * 1_000_000L;
        long end = nanoNow - (uptimeNow - info.getGcInfo().getEndTime()) * 1_000_000L;
        synchronized (pauses) {
            pauses.add(new long[] {start, Math.max(end, start + 1)});
        }
    }

    /** The pauses so far, {start, end} in System.nanoTime, in order. */
    long[][] pauses() {
        synchronized (pauses) {
            return pauses.stream().sorted((a, b) -> Long.compare(a[0], b[0])).toArray(long[][]::new);
        }
    }

    static boolean overlaps(long[][] pauses, long from, long to) {
        for (long[] pause : pauses) {
            if (pause[0] < to && pause[1] > from) {
                return true;
            }
        }
        return false;
    }

    static long total(long[][] pauses) {
        long sum = 0;
        for (long[] pause : pauses) {
            sum += pause[1] - pause[0];
        }
        return sum;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
    }
}
