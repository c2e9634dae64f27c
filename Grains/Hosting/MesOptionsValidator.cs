using MesOrleans.Plant;
using Microsoft.Extensions.Options;

namespace MesOrleans.Hosting;

/// <summary>Stops the process at start with every bad setting named by its configuration key.</summary>
internal sealed class MesOptionsValidator : IValidateOptions<MesOptions>
{
    public ValidateOptionsResult Validate(string? name, MesOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"Mes:Mode must be Standalone or Cluster; it is '{options.Mode}'.");
        }

        if (options.Mode == MesMode.Standalone && string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Mes:DataDirectory must name a folder.");
        }

        if (!string.IsNullOrWhiteSpace(options.PlantModelPath))
        {
            CheckPlantModel(options.PlantModelPath, failures);
        }

        CheckPort(options.Silo.SiloPort, "Mes:Silo:SiloPort", failures);
        CheckPort(options.Silo.GatewayPort, "Mes:Silo:GatewayPort", failures);
        if (options.Silo.SiloPort == options.Silo.GatewayPort)
        {
            failures.Add("Mes:Silo:SiloPort and Mes:Silo:GatewayPort must differ.");
        }

        if (options.Telemetry.MaxEventAge <= TimeSpan.Zero || options.Telemetry.MaxEventAge > TimeSpan.FromDays(366))
        {
            failures.Add("Mes:Telemetry:MaxEventAge must be a positive duration of at most 366 days, e.g. 7.00:00:00.");
        }

        if (options.Telemetry.MaxFutureSkew < TimeSpan.Zero || options.Telemetry.MaxFutureSkew > TimeSpan.FromHours(1))
        {
            failures.Add("Mes:Telemetry:MaxFutureSkew must be between 00:00:00 and 01:00:00.");
        }

        // Events may arrive up to MaxEventAge late: they must land in the history that is kept, not be deleted next day.
        if (options.History.RetentionDays is { } days
            && (days < HistoryOptions.MinRetentionDays || TimeSpan.FromDays(days) <= options.Telemetry.MaxEventAge))
        {
            failures.Add($"Mes:History:RetentionDays must be at least {HistoryOptions.MinRetentionDays} and longer than Mes:Telemetry:MaxEventAge " +
                $"({options.Telemetry.MaxEventAge.TotalDays:0.#} days), or absent to keep history forever; it is {days}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // A plant model file with a mistake stops the process before the silo starts, with every problem by its JSON path.
    private static void CheckPlantModel(string path, List<string> failures)
    {
        if (!File.Exists(path))
        {
            failures.Add($"Mes:PlantModelPath '{path}' does not exist.");
            return;
        }

        var result = PlantModelJson.ReadFile(path);
        if (!result.IsValid)
        {
            var problems = string.Join(Environment.NewLine, result.Problems.Select(p => $"  {p.Path}: {p.Message}"));
            failures.Add($"Mes:PlantModelPath: the plant model file '{path}' has {result.Problems.Count} problem(s):{Environment.NewLine}{problems}");
        }
    }

    private static void CheckPort(int port, string key, List<string> failures)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"{key} must be a TCP port between 1 and 65535; {port} is not.");
        }
    }
}
