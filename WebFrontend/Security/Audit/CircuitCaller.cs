using MesOrleans.WebFrontend.Security.Access;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MesOrleans.WebFrontend.Security.Audit;

/// <summary>
/// Who works on an open page (a Blazor circuit) and from which address, for the audit trail and for checks in
/// services. The address is the one the circuit connected from.
/// </summary>
public sealed class CircuitCaller(AuthenticationStateProvider authentication)
{
    /// <summary>The client's address, captured when the circuit opened.</summary>
    public string? Address { get; internal set; }

    public async Task<MesAccess> AccessAsync() => MesAccess.Of((await authentication.GetAuthenticationStateAsync()).User);

    public async Task<Accounts.Manager> ManagerAsync() => new(await AccessAsync(), Address);
}

/// <summary>Captures the address a circuit connects from into its <see cref="CircuitCaller"/>.</summary>
internal sealed class CircuitAddressCapture(CircuitCaller caller, IHttpContextAccessor http) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        caller.Address = http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? caller.Address;
        return Task.CompletedTask;
    }
}
