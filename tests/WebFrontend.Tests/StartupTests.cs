using System.Diagnostics;
using MesOrleans.Testing;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>The app started as an administrator starts it: a process of its own, with its exit code.</summary>
public sealed class StartupTests : IDisposable
{
    // A line of a stack trace: "   at Orleans.Runtime.Catalog.GetOrCreateActivation(".
    private const string StackFrame = @"(?m)^\s+at [\w.`<>\[\]]+\(";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mes-start-" + Guid.NewGuid().ToString("N"));

    public StartupTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_plant_model_file_with_mistakes_stops_the_app_with_every_problem_and_exit_code_1()
    {
        var plant = Path.Combine(_folder, "plant.json");
        await File.WriteAllTextAsync(plant, """
            {
              "sites": [{"id": "plant 1", "name": "Plant 1", "timeZone": "Mars/Olympus",
                         "shifts": [{"name": "Early", "start": "06:00", "end": "14:00", "breaks": [], "days": ["monday"]}],
                         "lines": []}],
              "downtimeReasons": [],
              "scrapReasons": []
            }
            """);

        var (exitCode, output) = await RunAppAsync($"--Mes:PlantModelPath={plant}");

        Assert.Equal(1, exitCode);
        Assert.Contains("$.sites[0].id", output);
        Assert.Contains("$.sites[0].timeZone", output);
        Assert.Contains("$.sites[0].shifts[0].days[0]", output);
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotMatch(StackFrame, output);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_app_with_its_key_and_exit_code_1()
    {
        var (exitCode, output) = await RunAppAsync("--Mes:Telemetry:MaxFutureSkew=05:00:00");

        Assert.Equal(1, exitCode);
        Assert.Contains("Mes:Telemetry:MaxFutureSkew", output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    private async Task<(int ExitCode, string Output)> RunAppAsync(string setting)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "MesOrleans.WebFrontend.dll"),
                setting,
                $"--Mes:DataDirectory={Path.Combine(_folder, "data")}",
                $"--Mes:Silo:SiloPort={FreePort.Next()}",
                $"--Mes:Silo:GatewayPort={FreePort.Next()}",
                $"--Mes:Mqtt:EmbeddedBroker:Port={FreePort.Next()}",
                "--urls=http://127.0.0.1:0",
            },
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The app did not stop by itself within a minute.");
        }

        return (process.ExitCode, await output + await errors);
    }
}
