using System.Net;
using System.Net.Sockets;

namespace MesOrleans.Testing;

/// <summary>Free loopback ports, so that test suites can run side by side.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
