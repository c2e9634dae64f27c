using System.Net;
using System.Net.Sockets;

namespace MesOrleans.Hosting;

/// <summary>
/// Binds TCP ports so that a second process on the same port fails. .NET's <c>ReuseAddress</c> also sets
/// SO_REUSEPORT on Linux, which lets two processes listen on one port and split its connections (Orleans binds its
/// silo and gateway ports that way); here only SO_REUSEADDR is set, which allows a restart while old connections
/// linger in TIME_WAIT but never a second listener.
/// </summary>
public static class ExclusivePort
{
    // Linux's SOL_SOCKET and SO_REUSEADDR.
    private const int SolSocket = 1;
    private const int SoReuseAddress = 2;

    /// <summary>A socket bound to <paramref name="endPoint"/> and listening; [::] listens on IPv4 too.</summary>
    public static Socket Listen(IPEndPoint endPoint, int backlog)
    {
        var socket = Bind(endPoint);
        try
        {
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True when nothing listens on the port at this address (or on every address).</summary>
    public static bool IsFree(IPEndPoint endPoint)
    {
        try
        {
            Bind(endPoint).Dispose();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            // An address family or address this machine does not have cannot be taken by anyone.
            return true;
        }
    }

    private static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddress, BitConverter.GetBytes(1));
            }
            else if (OperatingSystem.IsWindows())
            {
                socket.ExclusiveAddressUse = true;
            }

            socket.Bind(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
