using System.Collections.Frozen;

namespace Scalegram.Roles;

/// <summary>
/// Which parts each role runs: the one place to read what a process carries, and the one entry to
/// add for a new role (the load balancer, for instance, runs only Observability and Health plus its own part).
/// </summary>
internal static class RoleTable
{
    private const NodeParts Backend = NodeParts.Observability | NodeParts.Health | NodeParts.Data | NodeParts.Caching
        | NodeParts.Storage | NodeParts.Imaging | NodeParts.Messaging | NodeParts.Cdn | NodeParts.Product;

    public static readonly FrozenDictionary<NodeRole, NodeParts> Parts = new Dictionary<NodeRole, NodeParts>
    {
        [NodeRole.All] = Backend | NodeParts.Web | NodeParts.Api | NodeParts.Ui | NodeParts.Ops | NodeParts.Workers,
        [NodeRole.Web] = Backend | NodeParts.Web | NodeParts.Api | NodeParts.Ui | NodeParts.Ops,
        [NodeRole.Worker] = Backend | NodeParts.Workers,
        [NodeRole.Lb] = NodeParts.Observability | NodeParts.Health | NodeParts.LoadBalancing,
    }.ToFrozenDictionary();
}
