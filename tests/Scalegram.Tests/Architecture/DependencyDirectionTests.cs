using System.Reflection;
using NetArchTest.Rules;
using Scalegram.Roles;

namespace Scalegram.Tests.Architecture;

/// <summary>
/// Dependencies flow one way: the product features use the tiers, the tiers never know the
/// features, and each folder uses only folders in layers below its own. Read from the compiled
/// IL (NetArchTest), so a qualified name or a type used only inside a method body counts too.
/// </summary>
public sealed class DependencyDirectionTests
{
    /// <summary>Lowest first. A folder may use its own namespace and those of lower layers only.</summary>
    private static readonly string[][] Layers =
    [
        ["Observability"],
        ["Data"],
        ["Caching", "Storage", "Imaging"],
        ["Messaging", "Web"],
        ["Cdn", "LoadBalancing"],
        ["Jobs"],
        ["Accounts"],
        ["Social", "Photos"],
        ["Feed"],
        ["Workers", "Ui", "Ops", "Bench"],
        ["Roles"],
        ["Cli"],
    ];

    /// <summary>The architecture's tiers: infrastructure that any product could run on.</summary>
    private static readonly string[] Tiers = ["Observability", "Data", "Caching", "Storage", "Imaging", "Messaging", "Web", "Cdn", "LoadBalancing"];

    /// <summary>Scalegram's own product: what it does for its users, and the jobs and pages that carry it.</summary>
    private static readonly string[] Features = ["Jobs", "Accounts", "Social", "Photos", "Feed", "Workers", "Ui", "Ops"];

    private static readonly Assembly App = typeof(ScalegramApp).Assembly;

    public static TheoryData<string> Folders => [.. Layers.SelectMany(l => l)];

    [Fact]
    public void Every_folder_of_the_app_has_a_place_in_the_layers()
    {
        var folders = App.GetTypes()
            .Select(t => t.Namespace ?? "")
            .Where(ns => ns.StartsWith("Scalegram.", StringComparison.Ordinal))
            .Select(ns => ns.Split('.')[1])
            .Distinct()
            .Order()
            .ToList();
        Assert.Empty(folders.Except(Layers.SelectMany(l => l)));
        Assert.Empty(Tiers.Concat(Features).Except(Layers.SelectMany(l => l)));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_uses_only_folders_in_lower_layers(string folder)
    {
        var layer = Array.FindIndex(Layers, l => l.Contains(folder));
        var forbidden = Layers.Skip(layer).SelectMany(l => l).Where(f => f != folder).Select(f => $"Scalegram.{f}").ToArray();
        AssertNoDependency(folder, forbidden);
    }

    [Theory]
    [MemberData(nameof(TierNames))]
    public void A_tier_never_knows_a_feature(string tier) =>
        AssertNoDependency(tier, [.. Features.Select(f => $"Scalegram.{f}"), "Scalegram.Roles", "Scalegram.Cli", "Scalegram.Bench"]);

    public static TheoryData<string> TierNames => [.. Tiers];

    [Fact]
    public void The_check_sees_a_dependency_that_is_there()
    {
        // Guards the guard: Photos does use Accounts, so the same call must report it.
        var result = Types.InAssembly(App).That().ResideInNamespace("Scalegram.Photos").ShouldNot().HaveDependencyOnAny("Scalegram.Accounts").GetResult();
        Assert.False(result.IsSuccessful);
    }

    private static void AssertNoDependency(string folder, string[] forbidden)
    {
        var result = Types.InAssembly(App).That().ResideInNamespace($"Scalegram.{folder}").ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        var offenders = (result.FailingTypes ?? []).Select(t => t.FullName).Order().ToList();
        Assert.True(result.IsSuccessful, $"Scalegram.{folder} must not use {string.Join(", ", forbidden)}; these types do: {string.Join(", ", offenders)}");
    }
}
