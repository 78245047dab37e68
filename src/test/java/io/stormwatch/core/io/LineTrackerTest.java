package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineTrackerTest {

    /**
     * Runs {@code operations} on a tracker starting at {@code start}: {@code e0-10} emits the line [0, 10)
     * with text "L0", {@code a0} acks and {@code f0} fails the line at 0, {@code r} takes the next replay.
     * Checks the resume point, the lines in flight, the offsets replayed (by {@code r}), and that nothing else
     * waits for replay afterwards. Returned booleans of ack/fail are checked by {@code !a0} / {@code !f0}
     * meaning "must return false".
     */
    @ParameterizedTest(name = "{1} → resume {2}, in flight {3}, replayed [{4}]")
    @CsvSource(delimiter = '|', textBlock = """
            # start | operations                           | resume | in flight | replayed
              0     | ''                                   | 0      | 0         | ''
              100   | ''                                   | 100    | 0         | ''
              0     | e0-10                                | 0      | 1         | ''
              0     | e0-10 a0                             | 10     | 0         | ''
              0     | e0-10 e10-20 e20-30 a10              | 0      | 2         | ''
              0     | e0-10 e10-20 e20-30 a0 a20           | 10     | 1         | ''
              0     | e0-10 e10-20 e20-30 a0 a10 a20       | 30     | 0         | ''
              0     | e0-10 e12-20                         | 0      | 2         | ''
              0     | e0-10 e12-20 a0                      | 12     | 1         | ''
              50    | e50-60 e60-70 f60 r                  | 50     | 2         | 60
              0     | e0-10 e10-20 f10 f0 r r r            | 0      | 2         | 0 10
              0     | e0-10 f0 f0 r r                      | 0      | 1         | 0
              0     | e0-10 f0 a0 r                        | 10     | 0         | ''
              0     | e0-10 a0 !a0 !f0 !a99 !f99           | 10     | 0         | ''
              0     | e0-10 f0 r a0 e10-20                 | 10     | 1         | 0
            """)
    void tracksAcksFailsAndTheResumePoint(long start, String operations, long resume, int inFlight,
            String replayed) {
        LineTracker tracker = new LineTracker(start);
        List<String> replays = new ArrayList<>();
        for (String op : operations.isBlank() ? new String[0] : operations.trim().split("\\s+")) {
            boolean mustFail = op.startsWith("!");
            String code = mustFail ? op.substring(1) : op;
            switch (code.charAt(0)) {
                case 'e' -> {
                    String[] range = code.substring(1).split("-");
                    tracker.emitted(Long.parseLong(range[0]), Long.parseLong(range[1]), "L" + range[0]);
                }
                case 'a' -> assertThat(tracker.ack(Long.parseLong(code.substring(1)))).as(op).isEqualTo(!mustFail);
                case 'f' -> assertThat(tracker.fail(Long.parseLong(code.substring(1)))).as(op).isEqualTo(!mustFail);
                case 'r' -> {
                    LineReader.Line line = tracker.nextReplay();
                    if (line != null) {
                        assertThat(line.text()).isEqualTo("L" + line.offset());
                        replays.add(Long.toString(line.offset()));
                    }
                }
                default -> throw new IllegalArgumentException(op);
            }
        }
        assertThat(tracker.resumeOffset()).isEqualTo(resume);
        assertThat(tracker.inFlight()).isEqualTo(inFlight);
        assertThat(tracker.allAcked()).isEqualTo(inFlight == 0);
        assertThat(String.join(" ", replays)).isEqualTo(replayed);
        assertThat(tracker.hasReplay()).isFalse();
    }

    @Test
    void rejectsLinesOutOfOrder() {
        LineTracker tracker = new LineTracker(0);
        tracker.emitted(0, 10, "a");
        assertThatThrownBy(() -> tracker.emitted(5, 15, "b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tracker.emitted(10, 10, "c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replaysKeepTheTextAndEndOfTheFailedLine() {
        LineTracker tracker = new LineTracker(0);
        tracker.emitted(0, 6, "hello");
        tracker.fail(0);
        assertThat(tracker.nextReplay()).isEqualTo(new LineReader.Line("hello", 0, 6));
    }
}
