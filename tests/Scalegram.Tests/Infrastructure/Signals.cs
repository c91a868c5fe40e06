using System.Runtime.InteropServices;

namespace Scalegram.Tests.Infrastructure;

/// <summary>POSIX signals by PID: SIGTERM for a clean stop (Process.Kill only sends SIGKILL).</summary>
public static class Signals
{
    public const int Term = 15;
    public const int Kill = 9;

    public static void Send(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
