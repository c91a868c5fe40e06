using System.Globalization;

namespace Scalegram.SystemTests.Infrastructure.Engines;

/// <summary>
/// A process and all its descendants, read from /proc: a pg_auto_failover node is a script, pg_autoctl
/// (supervisor, keeper, postgres service), the postmaster and its backends, and a drill kills or
/// freezes all of them at once, by PID.
/// </summary>
public static class ProcessTree
{
    /// <summary>The PID and every descendant's, parents first.</summary>
    public static IReadOnlyList<int> Of(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ParentOf(dir) is not { } parent)
            {
                continue;
            }

            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(pid);
        }

        var result = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var pid = queue.Dequeue();
            result.Add(pid);
            foreach (var child in children.GetValueOrDefault(pid, []))
            {
                queue.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>Sends the signal to every process of the tree (collected first, so a dying parent cannot hide its children).</summary>
    public static IReadOnlyList<int> Signal(int root, int signal)
    {
        var pids = Of(root);
        foreach (var pid in pids)
        {
            try
            {
                Scalegram.Tests.Infrastructure.Signals.Send(pid, signal);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }
        }

        return pids;
    }

    /// <summary>Proportional set size of the tree in bytes (shared memory counted once over the processes sharing it).</summary>
    public static long ProportionalBytes(int root) => Of(root).Sum(pid =>
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    });

    /// <summary>The first PID of the tree whose command line contains the text (e.g. the postmaster's "postgres -D").</summary>
    public static int? Find(int root, string commandLine) => Of(root).Cast<int?>().FirstOrDefault(pid =>
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(commandLine, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    });

    private static int? ParentOf(string procDir)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var stat = File.ReadAllText(Path.Combine(procDir, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
