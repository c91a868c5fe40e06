using System.Diagnostics;
using System.Globalization;

namespace Scalegram.Benchmarks.Imaging;

/// <summary>This process's CPU time (all threads, libvips' included) and its peak resident set size.</summary>
internal static class ProcessMeter
{
    public static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Another process's CPU time: utime + stime from /proc/PID/stat, in clock ticks of 1/100 s.</summary>
    public static TimeSpan Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>VmHWM: the largest the resident set has been since the process started, in MB.</summary>
    public static double PeakRssMb(int pid = 0) => StatusKb(pid, "VmHWM:") / 1024.0;

    public static double RssMb(int pid = 0) => StatusKb(pid, "VmRSS:") / 1024.0;

    private static long StatusKb(int pid, string field)
    {
        foreach (var line in File.ReadLines(pid == 0 ? "/proc/self/status" : $"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
