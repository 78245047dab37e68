package io.stormwatch.storm.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.job.Aggregate;
import io.stormwatch.core.job.Extractor;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.statuscodes.StatusCodes;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.sink.LogSink;
import io.stormwatch.storm.sink.RedisSink;
import io.stormwatch.storm.spout.FileSpout;
import io.stormwatch.storm.spout.KafkaBlockSpout;
import io.stormwatch.storm.spout.SocketLineSpout;
import io.stormwatch.storm.spout.SpoolDirectorySpout;
import io.stormwatch.storm.spout.TailFileSpout;
import io.stormwatch.storm.state.MemoryKeyValueStateProvider;
import io.stormwatch.storm.state.RedisStateProvider;
import io.stormwatch.testing.EventJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.spout.CheckPointState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** From config keys, files and specs to the parts of a job: what users type must mean what the page says. */
class JobConfigTest {

    @TempDir
    Path tmp;

    /** {@link EventJob} with its own engine defaults, and lines that may carry no time. */
    private record DefaultingJob(Map<String, String> engineDefaults, boolean hasEventTime) implements Job<EventJob.Event> {
        private static final EventJob EVENTS = new EventJob();

        @Override
        public String name() {
            return "defaulting";
        }

        @Override
        public Extractor<EventJob.Event> newExtractor() {
            return EVENTS.newExtractor();
        }

        @Override
        public long eventTimeMillis(EventJob.Event record) {
            return record.time();
        }

        @Override
        public Aggregate<EventJob.Event> aggregate() {
            return EVENTS.aggregate();
        }

        @Override
        public Views views() {
            return EVENTS.views();
        }
    }

    @Test
    void aJobsEngineDefaultsApplyUnderTheUsersSettings() {
        Job<?> job = new DefaultingJob(Map.of(StormwatchConfig.WINDOW_LENGTH, "5m", StormwatchConfig.WINDOW_SLIDE, "1s"), true);

        assertThat(JobOptions.fromConfig(job, Map.of()).window()).isEqualTo(WindowSpec.parse("5m", "1s", "5s"));
        assertThat(JobOptions.fromConfig(job, Map.of(StormwatchConfig.WINDOW_SLIDE, "10s")).window())
                .isEqualTo(WindowSpec.parse("5m", "10s", "5s"));
        assertThat(JobOptions.fromConfig(new DefaultingJob(Map.of(), true), Map.of())).isEqualTo(JobOptions.defaults());
    }

    @Test
    void aJobWhoseLinesCarryNoTimeRunsInProcessingTimeAndRefusesEventTime() {
        Job<?> timeless = new DefaultingJob(Map.of(StormwatchConfig.TIME, "processing"), false);

        assertThat(JobOptions.fromConfig(timeless, Map.of()).time()).isEqualTo(TimeMode.PROCESSING);
        assertThatThrownBy(() -> JobOptions.fromConfig(timeless, Map.of(StormwatchConfig.TIME, "event")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carry no time").hasMessageContaining("--time processing");
    }

    @ParameterizedTest
    @CsvSource({
        "file:/var/log/a.log, FileSpout",
        "spool:/var/spool/sw, SpoolDirectorySpout",
        "tail:/var/log/access.log, TailFileSpout",
        "socket:127.0.0.1:9999, SocketLineSpout",
        "socket:[::1]:9999, SocketLineSpout",
    })
    void sourceSpecsPickTheirSpout(String spec, String spout) {
        assertThat(Sources.spout(spec, true, 1000).getClass().getSimpleName()).isEqualTo(spout);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "file:", "kafka:topic", "socket:nohost", "socket:host:port", "/var/log/a.log"})
    void badSourceSpecsAreRefusedWithTheForms(String spec) {
        assertThatThrownBy(() -> Sources.spout(spec, true, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spool:DIR")
                .hasMessageContaining("kafka:BOOTSTRAP/TOPIC");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka:h:9092/", "kafka:/t", "kafka:h/t", "kafka:h:x/t", "kafka:h:9092,/t",
        "kafka:h:99999/t", "kafka:h:9092/bad topic", "kafka:h:9092/.."})
    void badKafkaSpecsNameTheForm(String spec) {
        assertThatThrownBy(() -> Sources.Spec.parse(spec))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafka:BOOTSTRAP/TOPIC");
    }

    @Test
    void kafkaSpecsGiveBootstrapServersAndTopic() {
        Sources.Spec one = Sources.Spec.parse("kafka:127.0.0.1:9092/access");
        assertThat(one.kind()).isEqualTo(Sources.Kind.KAFKA);
        assertThat(one.bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(one.topic()).isEqualTo("access");
        Sources.Spec two = Sources.Spec.parse("kafka:b1:9092,b2.example.com:19092/logs.web_v2");
        assertThat(two.bootstrapServers()).containsExactly("b1:9092", "b2.example.com:19092");
        assertThat(two.topic()).isEqualTo("logs.web_v2");
        assertThat(Sources.isFinite("kafka:b1:9092/t")).isFalse();
        assertThat(Sources.spout("kafka:b1:9092/t", true, 1000)).isInstanceOf(KafkaBlockSpout.class);
    }

    @Test
    void onlyFileAndSpoolSourcesEndByThemselves() {
        assertThat(List.of("file:a", "spool:d", "tail:a", "socket:h:1")).map(Sources::isFinite)
                .containsExactly(true, true, false, false);
        assertThat(Sources.spout("file:a", true, 1000)).isInstanceOf(FileSpout.class);
        assertThat(Sources.spout("spool:d", false, 1000)).isInstanceOf(SpoolDirectorySpout.class);
        assertThat(Sources.spout("tail:a", false, 1000)).isInstanceOf(TailFileSpout.class);
        assertThat(Sources.spout("socket:h:1", false, 1000)).isInstanceOf(SocketLineSpout.class);
    }

    @Test
    void outputsBecomeSinksNamedByKind() {
        Map<String, ?> sinks = Outputs.sinks("log, jsonl:" + tmp + ",redis://127.0.0.1:6379/2,jsonl:" + tmp.resolve("b"),
                LogAnalytics.defaults(), JobOptions.defaults().window(), Map.of());
        assertThat(sinks.keySet()).containsExactly("sink-log", "sink-jsonl", "sink-redis", "sink-jsonl-2");
        assertThat(sinks.values()).extracting(Object::getClass)
                .containsExactly(LogSink.class, JsonLinesSink.class, RedisSink.class, JsonLinesSink.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "print", "jsonl:", "redis://:secret@host:6379", "http://host"})
    void badOutputsAreRefused(String spec) {
        assertThatThrownBy(() -> Outputs.sinks(spec, LogAnalytics.defaults(), JobOptions.defaults().window(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsHaveThePageDefaultsAndReadTheirKeys() {
        JobOptions defaults = JobOptions.defaults();
        assertThat(defaults.window().lengthMillis()).isEqualTo(30_000);
        assertThat(defaults.window().slideMillis()).isEqualTo(10_000);
        assertThat(defaults.window().lagMillis()).isEqualTo(5_000);
        assertThat(defaults.time()).isEqualTo(TimeMode.EVENT);
        assertThat(defaults.parseParallelism()).isOne();
        assertThat(defaults.blocks()).isEqualTo(BlockBounds.DEFAULT);
        assertThat(LogAnalytics.defaults().format()).isEqualTo("auto");

        Map<String, Object> conf = Map.of(
                StormwatchConfig.WINDOW_LENGTH, "1h", StormwatchConfig.WINDOW_SLIDE, "1s", StormwatchConfig.WINDOW_LAG, "0s",
                StormwatchConfig.TIME, "Processing", StormwatchConfig.PARSE_PARALLELISM, "3", StormwatchConfig.FORMAT, "common",
                StormwatchConfig.BLOCK_LINES, 10, StormwatchConfig.BLOCK_BYTES, "4096");
        JobOptions set = JobOptions.fromConfig(conf);
        assertThat(set.window().lengthMillis()).isEqualTo(3_600_000);
        assertThat(set.time()).isEqualTo(TimeMode.PROCESSING);
        assertThat(set.parseParallelism()).isEqualTo(3);
        assertThat(set.blocks()).isEqualTo(new BlockBounds(10, 4096));
        assertThat(LogAnalytics.fromConfig(conf).format()).isEqualTo("common");
        assertThatThrownBy(() -> JobOptions.fromConfig(Map.of(StormwatchConfig.TIME, "wall")))
                .hasMessageContaining("'event' or 'processing'");
    }

    @Test
    void jobsAreFoundByNameAndConfiguredFromTheirKeys() {
        assertThat(Jobs.NAMES).contains("log-analytics", "status-codes");
        assertThat(Jobs.fromConfig("status-codes", Map.of(StormwatchConfig.FORMAT, "nginx")))
                .isEqualTo(new StatusCodes("nginx", 65_536));
        assertThatThrownBy(() -> Jobs.fromConfig("no-such-job", Map.of())).hasMessageContaining("log-analytics, status-codes");
        assertThatThrownBy(() -> Jobs.fromConfig("log-analytics", Map.of(StormwatchConfig.FORMAT, "%Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void submitConfigHasDefaultsTheUserCanOverrideAndWhatStormNeeds() {
        Config defaults = TopologyConfigs.forJob(Map.of(), Map.of());
        assertThat(defaults.get(Config.TOPOLOGY_STATE_CHECKPOINT_INTERVAL)).isEqualTo(100);
        assertThat(defaults.get(Config.TOPOLOGY_MAX_SPOUT_PENDING)).isEqualTo(2_000);
        assertThat(defaults.get(Config.TOPOLOGY_STATE_PROVIDER)).isEqualTo(MemoryKeyValueStateProvider.class.getName());
        assertThat(String.valueOf(defaults.get(Config.TOPOLOGY_KRYO_REGISTER))).contains(CheckPointState.Action.class.getName());

        Config chosen = TopologyConfigs.forJob(Map.of(Config.TOPOLOGY_STATE_CHECKPOINT_INTERVAL, 1_000,
                Config.TOPOLOGY_MAX_SPOUT_PENDING, 20_000, Config.TOPOLOGY_MESSAGE_TIMEOUT_SECS, 7_200,
                StormwatchConfig.STATE, "redis://10.0.0.5:6380/1"), Map.of(StormwatchConfig.REDIS_PASSWORD_ENV, "s3cret"));
        assertThat(chosen.get(Config.TOPOLOGY_STATE_CHECKPOINT_INTERVAL)).isEqualTo(1_000);
        assertThat(chosen.get(Config.TOPOLOGY_MAX_SPOUT_PENDING)).isEqualTo(20_000);
        assertThat(chosen.get(Config.TOPOLOGY_MESSAGE_TIMEOUT_SECS)).isEqualTo(7_200);
        assertThat(chosen.get(Config.TOPOLOGY_STATE_PROVIDER)).isEqualTo(RedisStateProvider.class.getName());
        assertThat((String) chosen.get(Config.TOPOLOGY_STATE_PROVIDER_CONFIG)).contains("10.0.0.5").contains("6380");

        assertThatThrownBy(() -> TopologyConfigs.stateBackend("hdfs://x", Map.of())).hasMessageContaining("memory");
    }

    @Test
    void confFilesAreReadUnderConfigAndOverridesWinAsStormJarDoes() throws Exception {
        Path keyed = Files.writeString(tmp.resolve("keyed.yaml"), "config:\n  stormwatch.time: processing\n  topology.workers: 2\n");
        Path plain = Files.writeString(tmp.resolve("plain.yaml"), "stormwatch.time: event\nstormwatch.format: common\n");

        Map<String, Object> conf = StormwatchConfig.merge(List.of(keyed, plain),
                Map.of(StormwatchConfig.FORMAT, "nginx"));

        assertThat(conf).containsEntry("stormwatch.time", "event").containsEntry("topology.workers", 2)
                .containsEntry(StormwatchConfig.FORMAT, "nginx");
        assertThat(StormwatchConfig.parseOverride("topology.workers=3")).isEqualTo(Map.entry("topology.workers", 3));
        assertThat(StormwatchConfig.parseOverride("stormwatch.source=spool:/a=b"))
                .isEqualTo(Map.entry("stormwatch.source", "spool:/a=b"));
        assertThat(StormwatchConfig.parseOverride("flag=true")).isEqualTo(Map.entry("flag", true));
        assertThatThrownBy(() -> StormwatchConfig.parseOverride("novalue")).hasMessageContaining("key=value");
    }

    @Test
    void theShippedConfFilesAreValid() {
        for (String file : List.of("conf/local.yaml", "conf/cluster.yaml")) {
            Map<String, Object> conf = StormwatchConfig.readFile(Path.of(file));
            assertThat(conf).as(file).containsKeys(StormwatchConfig.SOURCE, StormwatchConfig.OUTPUTS);
            JobOptions.fromConfig(conf);
            for (String job : Jobs.NAMES) {
                // Each job, with its own window and time under the file's: none may be refused (event time for word-count).
                JobOptions.fromConfig(Jobs.fromConfig(job, conf), conf);
            }
            TopologyConfigs.stateBackend((String) conf.get(StormwatchConfig.STATE), Map.of());
        }
    }
}
