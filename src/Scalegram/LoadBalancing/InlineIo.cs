using System.Reflection;

namespace Scalegram.LoadBalancing;

/// <summary>
/// Runs socket completions on the runtime's epoll threads instead of queueing each to the thread pool
/// (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1), together with Kestrel's inline scheduling
/// (<see cref="LoadBalancingOptions.InlineScheduling"/>): a proxied request then crosses no thread on its way in or
/// out, where before each hop woke a pool thread, and those wake-ups were the largest part of the load balancer's
/// CPU per request. The runtime reads the variable once, at its first socket, for the whole process, so it is
/// set only by the scalegram executable itself (a test host runs other servers in the same process, whose code may
/// block) and only when the operator has not set it.
/// </summary>
internal static class InlineIo
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets the variable when <paramref name="wanted"/>, this process is scalegram and the variable is unset; true when it did.</summary>
    public static bool PreferForThisProcess(bool wanted)
    {
        if (!wanted || Environment.GetEnvironmentVariable(Variable) is not null
            || Assembly.GetEntryAssembly()?.GetName().Name != typeof(InlineIo).Assembly.GetName().Name)
        {
            return false;
        }

        Environment.SetEnvironmentVariable(Variable, "1");
        return true;
    }
}
