package io.stormwatch.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.testing.Records;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests of pane assembly. A script is a list of steps, times in seconds: {@code a12} adds a record at
 * 12 s, {@code r12} rejects a line at 12 s, {@code t40} advances the clock to 40 s, {@code C} closes all.
 * The trace shows per step {@code +} (accepted) or {@code L} (late), then the panes closed by that step as
 * {@code end:records[Rrejected][Llate]}, end in seconds; {@code -} when a step yields nothing.
 */
class PaneAssemblerTest {

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("the Javadoc's worked example", "10s", "5s",
                        "a12 a19 a31 a14 a28 a36 C",
                        "+ | + | + 20:2 | L | + | + 30:1 | 40:2L1"),
                Arguments.of("an event exactly at a pane end belongs to that pane and, with lag 0, closes it", "10s", "0s",
                        "a10 a10 C",
                        "+ 10:1 | L | 20:0L1"),
                Arguments.of("a pane closes when the watermark reaches its end exactly", "10s", "5s",
                        "a12 a25 a20 a21 C",
                        "+ | + 20:1 | L | + | 30:2L1"),
                Arguments.of("one millisecond before the lag boundary the pane is still open", "10s", "5s",
                        "a12 a24.999 a20 a25",
                        "+ | + | + | + 20:2"),
                Arguments.of("time running backwards within the lag is not late", "10s", "30s",
                        "a35 a5 a15 a25 C",
                        "+ | + | + | + | 10:1 20:1 30:1 40:1"),
                Arguments.of("late records count in the pane holding the max time, not in their own", "10s", "0s",
                        "a15 a32 a5 a39 C",
                        "+ | + 20:1 | L | + | 40:2L1"),
                Arguments.of("only panes with data exist: a gap yields no empty panes", "10s", "0s",
                        "a5 a55 C",
                        "+ | + 10:1 | 60:1"),
                Arguments.of("after closeAll, earlier times are late and go to the next pane", "10s", "0s",
                        "a5 C a3 C",
                        "+ | 10:1 | L | 20:0L1"),
                Arguments.of("processing time: ticks close panes, rejected lines count where they arrive", "10s", "0s",
                        "a1 r3 t9 t10 a11 t19.999 t20 C",
                        "+ | + | - | 10:1R1 | + | - | 20:1 | -"),
                Arguments.of("a tick backwards in time changes nothing", "10s", "0s",
                        "t50 t20 a45 a51 C",
                        "- | - | L | + | 60:1L1"),
                Arguments.of("negative times (before the epoch) use the same alignment", "10s", "0s",
                        "a-15 a-10 a-9.999 C",
                        "+ | + -10:2 | + | 0:1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void assemblesPanes(String description, String slide, String lag, String script, String expectedTrace) {
        PaneAssembler assembler = new PaneAssembler(WindowSpec.parse(slide, slide, lag));
        List<String> trace = new ArrayList<>();
        for (String step : script.split(" ")) {
            trace.add(run(assembler, step));
        }
        assertThat(String.join(" | ", trace)).isEqualTo(expectedTrace);
    }

    @Test
    void closedPanesCarryTheExactStatisticsOfTheirRecords() {
        PaneAssembler assembler = new PaneAssembler(WindowSpec.parse("20s", "10s", "0s"));
        assembler.add(Records.at(1_000, "a", "/x"), 1_000);
        assembler.add(Records.at(9_000, "b", "/y"), 9_000);
        assembler.reject(RejectReason.TRUNCATED, 9_500);
        assembler.add(Records.at(12_000, "a", "/x"), 12_000);

        List<Pane> closed = assembler.takeClosed();

        LogStats expected = new LogStats().add(Records.at(1_000, "a", "/x")).add(Records.at(9_000, "b", "/y"))
                .reject(RejectReason.TRUNCATED);
        assertThat(closed).containsExactly(new Pane(10_000, expected, 0));
        assertThat(assembler.takeClosed()).as("each pane is handed out once").isEmpty();
        assertThat(assembler.openPanes()).isEqualTo(1);
    }

    @Test
    void theWatermarkIsTheMaxTimeMinusTheLag() {
        PaneAssembler assembler = new PaneAssembler(WindowSpec.parse("10s", "10s", "5s"));
        assertThat(assembler.watermark()).isEqualTo(Long.MIN_VALUE);
        assembler.add(Records.at(31_000), 31_000);
        assembler.add(Records.at(14_000), 14_000);
        assertThat(assembler.watermark()).isEqualTo(26_000);
    }

    private static String run(PaneAssembler assembler, String step) {
        String outcome = "";
        if (!step.equals("C")) {
            long millis = Math.round(Double.parseDouble(step.substring(1)) * 1000);
            switch (step.charAt(0)) {
                case 'a' -> outcome = assembler.add(Records.at(millis), millis) ? "+" : "L";
                case 'r' -> outcome = assembler.reject(RejectReason.MALFORMED, millis) ? "+" : "L";
                case 't' -> assembler.advanceTo(millis);
                default -> throw new IllegalArgumentException(step);
            }
        }
        List<Pane> closed = step.equals("C") ? assembler.closeAll() : assembler.takeClosed();
        String panes = closed.stream().map(PaneAssemblerTest::describe).collect(Collectors.joining(" "));
        String result = (outcome + " " + panes).strip();
        return result.isEmpty() ? "-" : result;
    }

    private static String describe(Pane pane) {
        long end = pane.end() / 1000;
        return end + ":" + pane.stats().records()
                + (pane.stats().rejected() > 0 ? "R" + pane.stats().rejected() : "")
                + (pane.late() > 0 ? "L" + pane.late() : "");
    }
}
