/**
 * Spouts: where lines enter a stormwatch topology, in blocks. Every spout emits
 * {@code (block, source, offset, next-offset)} on the default stream
 * ({@link io.stormwatch.storm.Schema#BLOCK_FIELDS}): a {@link io.stormwatch.core.io.LineBlock} of consecutive
 * lines of one source — whatever the source has available now, up to
 * {@link io.stormwatch.core.io.BlockBounds} (default 1,024 lines or 1 MiB; {@code withBlockBounds}) — with the
 * range {@code [offset, next-offset)} it covers, and message id
 * {@link io.stormwatch.storm.spout.BlockMessageId}{@code (source, offset)}. Each spout declares the
 * end-of-input and the retired streams; the reading logic lives in {@code io.stormwatch.core.io}.
 *
 * <p>Why blocks: Storm costs 16–19 µs of CPU per tuple (acker, transfer, anchoring), which capped one tuple
 * per line at about 90 k lines/s. A file read at full speed gives full blocks; a slow socket or a followed
 * file gives one-line blocks, so latency stays that of a single line.
 *
 * <p><b>Positions.</b> Each block carries a {@link io.stormwatch.core.window.BlockPosition}: epoch = the time
 * the spout task opened, seq = 0, 1, 2, … over the new blocks of the task, all sources together. A block
 * emitted again keeps its position.
 *
 * <p><b>Failed blocks come back as single lines.</b> A reliable spout does not emit a failed block again as it
 * was: its lines come back one tuple each, as parts {@code i} of {@code n} at the block's position, each with
 * message id {@code (source, offset of the line)} and acked or failed on its own; a failed part comes back as
 * the same part. Example: the block of seq 12 holds {@code "GET /a\r\n"} at 0 and {@code "GET /b\n"} at 8,
 * so it is {@code [0, 15)}, message id {@code (s, 0)}. It fails → two tuples: {@code ["GET /a"]}
 * {@code [0, 8)} part 0 of 2, id {@code (s, 0)}, and {@code ["GET /b"]} {@code [8, 15)} part 1 of 2, id
 * {@code (s, 8)}, both at seq 12. Part 1 is acked, part 0 times out → {@code ["GET /a"]} {@code [0, 8)} part 0
 * of 2 once more. The reason: downstream counts each range once, and after a restart a spout may cut blocks
 * at other boundaries than before, so a block may be partly counted already; the totals bolt fails such a
 * block, and single lines are always fully counted or not at all.
 *
 * <p><b>In flight.</b> The reliable spouts keep at most {@code maxInFlight} lines (default 131,072: 128 blocks of
 * 1,024), spanning at most 64 MiB of input, emitted and unacked, for replay; {@code topology.max.spout.pending} counts tuples (blocks and parts), not lines.
 * The totals bolt acks a block only once a state checkpoint (every 100 ms) covers it, so at R lines/s about
 * R × 0.15 s lines are in flight: below that the spout waits for acks.
 *
 * <table>
 *   <caption>Sources and their guarantees</caption>
 *   <tr><th>Spout</th><th>source / offsets</th><th>Failed block</th><th>After a restart</th>
 *       <th>Retired</th><th>End of input</th></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.SpoolDirectorySpout}</td><td>{@code path#instance} / byte
 *       offsets; full blocks</td><td>replayed from memory as single-line parts</td><td>resumes at the durable
 *       acked prefix (start of the oldest unacked block or part), same source; completed files are never
 *       re-read (at-least-once)</td><td>a file once marked done ({@code .COMPLETED})</td>
 *       <td>with {@code stopWhenDrained}</td></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.FileSpout}</td><td>{@code path#instance} / byte offsets; full
 *       blocks</td><td>replayed from memory as single-line parts</td><td>reads the files again from the
 *       start; an unchanged file has the same source (at-least-once)</td><td>never (the same file may be
 *       read again under the same source)</td><td>after every block is acked</td></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.TailFileSpout}</td><td>{@code path#generation} / byte offsets;
 *       what was appended, often one line</td><td>replayed from memory as single-line parts</td><td>resumes
 *       at the durable acked prefix (at-least-once)</td><td>a rotated or truncated generation once read and
 *       acked</td><td>never</td></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.SocketLineSpout}</td><td>{@code socket:host:port#n} / line
 *       numbers; what the queue holds</td><td>lost, its lines counted in {@code lines-lost}
 *       (at-most-once)</td><td>reconnects; what was sent meanwhile is gone</td><td>a closed connection with
 *       nothing in flight</td><td>never</td></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.KafkaBlockSpout}</td><td>{@code kafka:topic/partition} / Kafka
 *       offsets (a record is {@code [o, o + 1)}); consecutive records of one partition; each partition its own
 *       channel</td><td>each record failed in the wrapped {@code KafkaSpout}, which retries it; it comes back as
 *       a single-record part</td><td>resumes at the committed offset of the consumer group (at-least-once)</td>
 *       <td>never</td><td>never</td></tr>
 * </table>
 *
 * <p>At-least-once means a line may arrive twice, always with the same offsets in the same source (alone or
 * in a block cut elsewhere): stateful bolts use them to drop what they have already counted. So a source must
 * never name two different contents, or the second one's lines would be dropped as replays: each names one
 * instance of its stream. For a complete file {@code path#instance} is
 * {@code <absolute path>#<modification time ms>-<size>-<file key>} as recorded when the file was picked up
 * (see {@link io.stormwatch.core.io.FileIdentity#instanceId()}):
 * the same for the file's whole life (restarts, the rename when done, an unchanged file read again), another
 * one for a new or changed file under the same name. A followed file numbers its instances instead
 * ({@code path#generation}), and a socket its connections. A source on the retired stream
 * ({@link io.stormwatch.storm.Schema#RETIRED_STREAM}, one unanchored tuple {@code (source)}) will never be
 * emitted again and all its blocks are acked, so downstream may forget what it counted of it.
 */
package io.stormwatch.storm.spout;
