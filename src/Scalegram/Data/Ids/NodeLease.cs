namespace Scalegram.Data.Ids;

/// <summary>
/// A node ID held by this process: it may mint IDs with that node ID in milliseconds from
/// <see cref="FloorMillis"/> up to <see cref="FenceMillis"/> (ID time, both inclusive), never outside.
/// </summary>
/// <param name="NodeId">The node bits this process puts into every ID (0..31).</param>
/// <param name="Holder">The token that identifies this holding in the node_leases row.</param>
/// <param name="FloorMillis">The first millisecond this holding may mint in: after the previous holder's fence.</param>
/// <param name="FenceMillis">The last millisecond it may mint in, as recorded in the database; renewals raise it.</param>
internal sealed record NodeLease(int NodeId, string Holder, long FloorMillis, long FenceMillis);
