namespace Scalegram.Tests.Infrastructure;

/// <summary>Files of the checkout the tests run from (deploy/ configs the topologies ship).</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding Scalegram.slnx, found upwards from the test assembly.</summary>
    public static string Root { get; } = Find();

    public static string Deploy(string relative) => Path.Combine(Root, "deploy", relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Scalegram.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Scalegram.slnx not found above " + AppContext.BaseDirectory);
    }
}
