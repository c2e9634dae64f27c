using MesOrleans.Hosting;
using MesOrleans.Machines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MesOrleans.Plant;

/// <summary>
/// Applies the plant model file (or the demo plant) once the silo runs. An invalid file stops the process with
/// every problem named by its JSON path; nothing is applied then.
/// </summary>
internal sealed class PlantModelStartup : IHostedService
{
    private const int MaxApplyAttempts = 5;

    private readonly IGrainFactory _grains;
    private readonly IOptions<MesOptions> _options;
    private readonly MesReadiness _readiness;
    private readonly ILogger<PlantModelStartup> _logger;

    public PlantModelStartup(IGrainFactory grains, IOptions<MesOptions> options, MesReadiness readiness, ILogger<PlantModelStartup> logger)
    {
        _grains = grains;
        _options = options;
        _readiness = readiness;
        _logger = logger;

        // Expected from construction, which is before the web server listens: /health never says ready too early.
        readiness.Expect(MesReadiness.PlantModel);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var model = LoadConfiguredModel();
        var plant = _grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key);
        if (model is not null)
        {
            // Applying configures every machine, which activates it.
            await ApplyAsync(model, cancellationToken);
        }
        else
        {
            await WakeMachinesAsync((await plant.GetModelAsync()).Model);
        }

        _readiness.Done(MesReadiness.PlantModel);
    }

    // Applying is idempotent. While a cluster moves grains (a silo restarting beside this one), a machine may answer
    // from a stale activation, which refuses and starts over: the next attempt reaches the fresh one.
    private async Task ApplyAsync(PlantModel model, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _grains.GetGrain<IPlantModelGrain>(IPlantModelGrain.Key).ApplyFileAsync(model);
                return;
            }
            catch (Exception exception) when (attempt < MaxApplyAttempts && exception is not Errors.MesCommandException)
            {
                _logger.LogWarning(exception, "Applying the plant model failed (attempt {Attempt} of {Attempts}); applying it again", attempt, MaxApplyAttempts);
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // A machine that falls silent is only noticed by an active grain: after a restart without a plant model file,
    // nothing else would activate the machines that send nothing.
    private Task WakeMachinesAsync(PlantModel model) =>
        Task.WhenAll(model.Sites.SelectMany(site => site.Lines.SelectMany(line => line.Machines.Select(machine =>
            _grains.GetGrain<IMachineGrain>(EquipmentPath.ForMachine(site.Id, line.Id, machine.Id).ToString()).GetStatusAsync()))));

    private PlantModel? LoadConfiguredModel()
    {
        var settings = _options.Value;
        if (!string.IsNullOrWhiteSpace(settings.PlantModelPath))
        {
            var path = settings.PlantModelPath;
            var result = PlantModelJson.ReadFile(path);
            if (!result.IsValid)
            {
                var problems = string.Join(Environment.NewLine, result.Problems.Select(p => $"  {p.Path}: {p.Message}"));
                throw new InvalidOperationException($"The plant model file '{path}' has {result.Problems.Count} problem(s):{Environment.NewLine}{problems}");
            }

            _logger.LogInformation("Applying plant model file {Path}", path);
            return result.Model;
        }

        if (settings.Demo.Enabled)
        {
            _logger.LogInformation("Applying the built-in demo plant (Mes:Demo:Enabled)");
            return DemoPlant.Model;
        }

        return null;
    }
}
