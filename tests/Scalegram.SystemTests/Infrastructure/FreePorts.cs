using System.Net;
using System.Net.Sockets;

namespace Scalegram.SystemTests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1 (asked of the kernel, so parallel runs do not collide).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the port, or the timeout passes.</summary>
    public static async Task<bool> WaitOpenAsync(int port, TimeSpan timeout, Func<bool>? giveUp = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await IsOpenAsync(port))
            {
                return true;
            }

            if (giveUp?.Invoke() == true)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public static async Task<bool> WaitClosedAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!await IsOpenAsync(port))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public static async Task<bool> IsOpenAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
