using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Scalegram.AppHost;

/// <summary>
/// The network of two LBs behind one address (deploy/keepalived/network-up.sh): made just before any
/// resource starts, removed (network-down.sh) once the app has stopped — by Ctrl+C, SIGTERM or a test
/// disposing it. No resource of its own: it must exist before the LBs start and outlive their stop.
/// A crashed AppHost leaves it behind; the next network-up.sh removes the leftovers first.
/// </summary>
internal static class FloatingAddress
{
    public static void Add(IDistributedApplicationBuilder builder, string root)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            var lifetime = e.Services.GetRequiredService<IHostApplicationLifetime>();
            Script(root, "network-up.sh");
            lifetime.ApplicationStopped.Register(() =>
            {
                try
                {
                    Script(root, "network-down.sh");
                }
                catch (InvalidOperationException e)
                {
                    // Stopping anyway: say what is left and how to remove it.
                    Console.Error.WriteLine($"{e.Message}\nRemove the rest with: sudo deploy/keepalived/network-down.sh");
                }
            });
            return Task.CompletedTask;
        });
    }

    /// <summary>Runs a deploy/keepalived script to the end; throws with its output if it fails.</summary>
    private static void Script(string root, string name)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "deploy", "keepalived", name)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/keepalived/{name} failed (exit {process.ExitCode}):\n{stdout}{stderr.Result}");
        }
    }
}
