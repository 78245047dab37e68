/**
 * Spouts: where lines enter a stormwatch topology. Every spout emits
 * {@code (line, source, offset, next-offset)} on the default stream
 * ({@link io.stormwatch.storm.Schema#LINE_FIELDS}) with message id
 * {@link io.stormwatch.storm.spout.LineMessageId}{@code (source, offset)}, and declares the end-of-input
 * stream; the reading logic lives in {@code io.stormwatch.core.io}.
 *
 * <table>
 *   <caption>Sources and their guarantees</caption>
 *   <tr><th>Spout</th><th>source / offset</th><th>Failed tuple</th><th>After a restart</th><th>End of input</th></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.SpoolDirectorySpout}</td><td>{@code path#instance} / byte offset
 *       </td><td>replayed from memory</td><td>resumes at the durable acked prefix, same source; completed
 *       files are never re-read (at-least-once)</td><td>with {@code stopWhenDrained}</td></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.FileSpout}</td><td>{@code path#instance} / byte offset
 *       </td><td>replayed from memory</td><td>reads the files again from the start; an unchanged file has the
 *       same source (at-least-once)</td>
 *       <td>after every line is acked</td></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.TailFileSpout}</td><td>{@code path#generation} / byte offset</td>
 *       <td>replayed from memory</td><td>resumes at the durable acked prefix (at-least-once)</td><td>never</td></tr>
 *   <tr><td>{@link io.stormwatch.storm.spout.SocketLineSpout}</td><td>{@code socket:host:port#n} / line number
 *       </td><td>lost, counted in {@code lines-lost} (at-most-once)</td><td>reconnects; what was sent
 *       meanwhile is gone</td><td>never</td></tr>
 * </table>
 *
 * <p>At-least-once means a line may arrive twice, always with the same {@code (source, offset)}: stateful
 * bolts use that pair to drop a replay they have already counted. So a source must never name two different
 * contents, or the second one's lines would be dropped as replays: each names one instance of its stream.
 * For a complete file {@code path#instance} is
 * {@code <absolute path>#<modification time ms>-<size>-<file key>} as recorded when the file was picked up
 * (see {@link io.stormwatch.core.io.FileIdentity#instanceId()}):
 * the same for the file's whole life (restarts, the rename when done, an unchanged file read again), another
 * one for a new or changed file under the same name. A followed file numbers its instances instead
 * ({@code path#generation}), and a socket its connections.
 */
package io.stormwatch.storm.spout;
