using MesOrleans.Errors;
using MesOrleans.Plant;
using Microsoft.Extensions.Logging;

namespace MesOrleans.Devices;

/// <inheritdoc cref="IDeviceAccountsGrain" />
internal sealed partial class DeviceAccountsGrain(
    [PersistentState("devices", MesStorage.Name)] IPersistentState<DeviceAccountsGrainState> state,
    PlantCatalog plant,
    DeviceAccountDirectory directory,
    TimeProvider time,
    ILogger<DeviceAccountsGrain> logger) : Grain, IDeviceAccountsGrain
{
    public Task<IReadOnlyList<DeviceAccount>> ListAsync() =>
        Task.FromResult<IReadOnlyList<DeviceAccount>>(state.State.Accounts
            .Select(a => new DeviceAccount(a.Credential.Name, a.Credential.Site, a.CreatedAt))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList());

    public Task<DeviceCredentials> GetCredentialsAsync() => Task.FromResult(Credentials());

    public async Task<NewDeviceAccount> CreateAsync(string name, string site)
    {
        var problems = DeviceAccountRules.Problems(name, site).ToList();
        if (problems.Count == 0 && !await IsPlantSiteAsync(site))
        {
            problems.Add(new("$.site", $"'{site}' is not a site of the plant model."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid("The device account is not valid.", problems);
        }

        if (state.State.Accounts.Any(a => a.Credential.Name == name))
        {
            throw MesCommandException.Conflict($"A device account named '{name}' exists already; delete it first to issue a new secret.");
        }

        var secret = DeviceSecret.NewSecret();
        var account = new StoredDeviceAccount(DeviceSecret.Create(name, site, secret), time.GetUtcNow());
        state.State.Accounts.Add(account);
        await SaveAsync();
        LogCreated(logger, name, site);
        return new NewDeviceAccount(new DeviceAccount(name, site, account.CreatedAt), secret);
    }

    public async Task<bool> DeleteAsync(string name)
    {
        if (state.State.Accounts.RemoveAll(a => a.Credential.Name == name) == 0)
        {
            return false;
        }

        await SaveAsync();
        LogDeleted(logger, name);
        return true;
    }

    private async Task SaveAsync()
    {
        state.State.Version++;
        await state.WriteStateAsync();
        directory.Publish(Credentials());
    }

    private DeviceCredentials Credentials() =>
        new(state.State.Version, state.State.Accounts.Select(a => a.Credential).ToList());

    private async Task<bool> IsPlantSiteAsync(string site) =>
        HasSite(await plant.GetCurrentAsync(), site) || HasSite(await plant.RefreshAsync(), site);

    private static bool HasSite(PlantView view, string site) => view.Model.Sites.Any(s => s.Id == site);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device account {Name} created for site {Site}")]
    private static partial void LogCreated(ILogger logger, string name, string site);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device account {Name} deleted; devices signed in with it are disconnected")]
    private static partial void LogDeleted(ILogger logger, string name);
}
