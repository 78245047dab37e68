package io.stormwatch.storm.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.storm.Config;
import org.apache.storm.state.InMemoryKeyValueState;
import org.apache.storm.state.KeyValueState;
import org.apache.storm.state.State;
import org.apache.storm.state.StateFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MemoryKeyValueStateTest {

    // --- Same observable behaviour as Storm's InMemoryKeyValueState -------------------------------------

    /** One call on a state; {@code apply} returns what the caller can observe of it. */
    sealed interface Op {
        Object apply(KeyValueState<Integer, String> state, Txids txids);
    }

    /** The txid of the last prepare that succeeded, so that sequences also hold valid commits. */
    static final class Txids {
        long lastPrepared;
    }

    record Put(int key, String value) implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            s.put(key, value);
            return null;
        }
    }

    record Get(int key) implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            return s.get(key);
        }
    }

    record GetOrDefault(int key) implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            return s.get(key, "default");
        }
    }

    record Delete(int key) implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            return s.delete(key);
        }
    }

    /** Removes {@code key} through the iterator, if it comes. */
    record IteratorRemove(int key) implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            for (Iterator<Map.Entry<Integer, String>> it = s.iterator(); it.hasNext(); ) {
                if (it.next().getKey() == key) {
                    it.remove();
                    return true;
                }
            }
            return false;
        }
    }

    /** Sets {@code key}'s value through its entry, if it comes; returns what {@code setValue} returned. */
    record EntrySetValue(int key, String value) implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            for (Map.Entry<Integer, String> e : s) {
                if (e.getKey() == key) {
                    return e.setValue(value);
                }
            }
            return "absent";
        }
    }

    record Prepare(long txid) implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            s.prepareCommit(txid);
            t.lastPrepared = txid;
            return null;
        }
    }

    /** Prepares the txid after the last prepared one, as the checkpoint spout does. */
    record PrepareNext() implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            return new Prepare(t.lastPrepared + 1).apply(s, t);
        }
    }

    record Commit(long txid) implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            s.commit(txid);
            return null;
        }
    }

    record CommitLastPrepared() implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            s.commit(t.lastPrepared);
            return null;
        }
    }

    record CommitNow() implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            s.commit();
            return null;
        }
    }

    record Rollback() implements Op {
        public Object apply(KeyValueState<Integer, String> s, Txids t) {
            s.rollback();
            return null;
        }
    }

    /**
     * Storm's state, but a rollback leaves its live map apart from its committed one. Storm's own rollback
     * makes them the same map, so that writes after a rollback change the committed contents until the
     * next commit (see {@link #afterStormsRollbackWritesReachItsCommittedContentsNotOurs}); a {@code commit()}
     * right after the rollback copies the map, which commits exactly the contents that were committed
     * already and changes nothing else Storm's state shows (its committed txid is never read).
     */
    static final class StormWithoutRollbackAliasing extends InMemoryKeyValueState<Integer, String> {
        @Override
        public void rollback() {
            super.rollback();
            super.commit();
        }
    }

    @Property(tries = 2_000)
    void behavesAsStormsInMemoryState(@ForAll("operations") List<Op> operations) {
        KeyValueState<Integer, String> storm = new StormWithoutRollbackAliasing();
        MemoryKeyValueState<Integer, String> ours = new MemoryKeyValueState<>();
        Txids stormTxids = new Txids();
        Txids ourTxids = new Txids();
        for (int i = 0; i < operations.size(); i++) {
            Op op = operations.get(i);
            String step = "step " + i + " " + op + " of " + operations;

            assertThat(observe(() -> op.apply(ours, ourTxids))).as(step).isEqualTo(observe(() -> op.apply(storm, stormTxids)));
            assertThat(contents(ours)).as(step).isEqualTo(contents(storm));
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, 9);
        Arbitrary<String> values = Arbitraries.integers().between(0, 99).map(v -> "v" + v);
        Arbitrary<Long> txids = Arbitraries.longs().between(0, 4);
        @SuppressWarnings("unchecked")
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(30, keys.flatMap(k -> values.map(v -> (Op) new Put(k, v)))),
                Tuple.of(5, keys.map(Get::new)),
                Tuple.of(3, keys.map(GetOrDefault::new)),
                Tuple.of(10, keys.map(Delete::new)),
                Tuple.of(3, keys.map(IteratorRemove::new)),
                Tuple.of(3, keys.flatMap(k -> values.map(v -> (Op) new EntrySetValue(k, v)))),
                Tuple.of(8, txids.map(Prepare::new)),
                Tuple.of(8, Arbitraries.just(new PrepareNext())),
                Tuple.of(5, txids.map(Commit::new)),
                Tuple.of(10, Arbitraries.just(new CommitLastPrepared())),
                Tuple.of(4, Arbitraries.just(new CommitNow())),
                Tuple.of(6, Arbitraries.just(new Rollback())));
        return op.list().ofMaxSize(60);
    }

    /** A result, or the exception's class and message up to its first comma (the rest prints the state). */
    private static Object observe(java.util.function.Supplier<Object> call) {
        try {
            return List.of("returned", String.valueOf(call.get()));
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            return List.of("threw", e.getClass().getName(), message.split(",")[0]);
        }
    }

    /** What iterating shows, failing on a key that comes twice. */
    private static Map<Integer, String> contents(KeyValueState<Integer, String> state) {
        Map<Integer, String> contents = new HashMap<>();
        for (Map.Entry<Integer, String> e : state) {
            assertThat(contents.put(e.getKey(), e.getValue())).as("key %s twice", e.getKey()).isNull();
        }
        return contents;
    }

    static Stream<Arguments> nullCalls() {
        return Stream.of(
                Arguments.of("put(null, v)", (Consumer<KeyValueState<Integer, String>>) s -> s.put(null, "v")),
                Arguments.of("put(k, null)", (Consumer<KeyValueState<Integer, String>>) s -> s.put(1, null)),
                Arguments.of("get(null)", (Consumer<KeyValueState<Integer, String>>) s -> s.get(null)),
                Arguments.of("get(null, d)", (Consumer<KeyValueState<Integer, String>>) s -> s.get(null, "d")),
                Arguments.of("delete(null)", (Consumer<KeyValueState<Integer, String>>) s -> s.delete(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullCalls")
    void nullKeysAndValuesAreRefusedAsByStorm(String call, Consumer<KeyValueState<Integer, String>> nullCall) {
        assertThatThrownBy(() -> nullCall.accept(new InMemoryKeyValueState<>())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> nullCall.accept(new MemoryKeyValueState<>())).isInstanceOf(NullPointerException.class);
    }

    /** The one difference on purpose, and why the property's Storm oracle commits after a rollback. */
    @Test
    void afterStormsRollbackWritesReachItsCommittedContentsNotOurs() {
        for (KeyValueState<Integer, String> state : List.<KeyValueState<Integer, String>>of(
                new InMemoryKeyValueState<>(), new MemoryKeyValueState<>())) {
            state.put(1, "committed");
            state.prepareCommit(1);
            state.commit(1);
            state.rollback();
            state.put(2, "written after the rollback, never committed");
            state.rollback();

            boolean storms = state instanceof InMemoryKeyValueState;
            assertThat(state.get(2)).as(state.getClass().getSimpleName())
                    .isEqualTo(storms ? "written after the rollback, never committed" : null);
            assertThat(state.get(1)).isEqualTo("committed");
        }
    }

    // --- Cost follows the changes --------------------------------------------------------------------

    @Test
    void checkpointsCostTheChangesNotTheContents() {
        int size = 1_000_000;
        MemoryKeyValueState<Integer, String> state = new MemoryKeyValueState<>();
        for (int i = 0; i < size; i++) {
            state.put(i, "v");
        }
        state.prepareCommit(1);
        state.commit(1);
        assertThat(state.lastCheckpointCost()).as("the first commit applies every write").isEqualTo(size);
        assertThat(state.pendingChanges()).isZero();

        for (int i = 0; i < 7; i++) {
            state.put(i * 1_000, "changed");
        }
        state.put(size, "new");
        state.delete(5);
        state.delete(6);

        state.prepareCommit(2);
        assertThat(state.lastCheckpointCost()).as("prepare hands the change map over").isZero();
        assertThat(state.pendingChanges()).isEqualTo(10);
        state.put(size + 1, "after the prepare");
        state.commit(2);
        assertThat(state.lastCheckpointCost()).as("commit applies the 10 prepared changes").isEqualTo(10);
        assertThat(state.pendingChanges()).as("the write after the prepare").isOne();

        state.prepareCommit(3);
        state.put(3, "re-prepared");
        state.prepareCommit(3);
        assertThat(state.lastCheckpointCost()).as("re-preparing merges the one write since").isOne();
        state.commit();
        assertThat(state.lastCheckpointCost()).as("commit() applies the 2 prepared entries; no write since, nothing to keep aside").isEqualTo(2);
        state.put(4, "rolled back");
        state.rollback();
        assertThat(state.lastCheckpointCost()).isZero();
        assertThat(state.pendingChanges()).isZero();

        assertThat(state.get(0)).isEqualTo("changed");
        assertThat(state.get(1_000)).isEqualTo("changed");
        assertThat(state.get(3)).isEqualTo("re-prepared");
        assertThat(state.get(4)).isEqualTo("v");
        assertThat(state.get(5)).isNull();
        assertThat(state.get(size)).isEqualTo("new");
        assertThat(state.get(size + 1)).isEqualTo("after the prepare");
        int count = 0;
        for (Map.Entry<Integer, String> ignored : state) {
            count++;
        }
        assertThat(count).isEqualTo(size + 2 - 2);
    }

    // --- Iteration while writing --------------------------------------------------------------------

    /**
     * As over a {@code ConcurrentHashMap}: writing other keys while iterating neither throws nor makes a
     * key that was there come twice or not at all; new keys may or may not come.
     */
    @Test
    void iteratingWhileWritingReturnsEveryKeyThatWasThereOnce() {
        MemoryKeyValueState<Integer, String> state = new MemoryKeyValueState<>();
        for (int i = 0; i < 1_000; i++) {
            state.put(i, "committed");
        }
        state.commit();
        for (int i = 0; i < 1_000; i += 3) {
            state.put(i, "prepared");
        }
        state.prepareCommit(1);
        for (int i = 0; i < 1_000; i += 5) {
            state.put(i, "written");
        }

        Map<Integer, Integer> seen = new HashMap<>();
        List<String> valuesOfLaterKeys = new ArrayList<>();
        for (Map.Entry<Integer, String> e : state) {
            seen.merge(e.getKey(), 1, Integer::sum);
            int key = e.getKey();
            if (key < 1_000) {
                state.put((key + 7) % 1_000, "rewritten while iterating");
                state.put(1_000 + key, "new while iterating");
            } else {
                valuesOfLaterKeys.add(e.getValue());
            }
        }

        assertThat(seen).allSatisfy((key, times) -> assertThat(times).as("key %s", key).isOne());
        for (int i = 0; i < 1_000; i++) {
            assertThat(seen).containsKey(i);
        }
        assertThat(valuesOfLaterKeys).allMatch("new while iterating"::equals);
    }

    @Test
    void theIteratorRemovesAndSetsThroughToTheState() {
        MemoryKeyValueState<Integer, String> state = new MemoryKeyValueState<>();
        for (int i = 0; i < 10; i++) {
            state.put(i, "v" + i);
        }
        state.prepareCommit(1);
        state.commit(1);

        Iterator<Map.Entry<Integer, String>> it = state.iterator();
        assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
        while (it.hasNext()) {
            Map.Entry<Integer, String> e = it.next();
            if (e.getKey() % 2 == 0) {
                it.remove();
            } else {
                assertThat(e.setValue("odd")).isEqualTo("v" + e.getKey());
            }
        }

        assertThat(contents(state)).isEqualTo(Map.of(1, "odd", 3, "odd", 5, "odd", 7, "odd", 9, "odd"));
        state.rollback();
        assertThat(contents(state)).hasSize(10).containsEntry(2, "v2").containsEntry(3, "v3");
    }

    // --- Provider ------------------------------------------------------------------------------------

    @Test
    void theProviderGivesOneStatePerNamespaceAsStormsDoes() {
        MemoryKeyValueStateProvider provider = new MemoryKeyValueStateProvider();

        State a = provider.newState("totals-1", Map.of(), null);

        assertThat(a).isInstanceOf(MemoryKeyValueState.class);
        assertThat(provider.newState("totals-1", Map.of(), null)).isSameAs(a);
        assertThat(provider.newState("totals-2", Map.of(), null)).isNotSameAs(a);
        assertThat(new MemoryKeyValueStateProvider().newState("totals-1", Map.of(), null)).isNotSameAs(a);
    }

    @Test
    void stormsStateFactoryMakesItFromTheTopologyConfig() {
        Map<String, Object> conf = Map.of(Config.TOPOLOGY_STATE_PROVIDER, MemoryKeyValueStateProvider.class.getName());

        State state = StateFactory.getState("totals-3", conf, null);

        assertThat(state).isInstanceOf(MemoryKeyValueState.class);
        assertThat(StateFactory.getState("totals-3", conf, null)).as("a new provider each time, as for Storm's")
                .isNotSameAs(state);
    }
}
