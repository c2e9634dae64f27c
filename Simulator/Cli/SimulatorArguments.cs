using System.Globalization;

namespace MesOrleans.Simulator;

/// <summary>The command line of the simulator, parsed by hand: a few options need no parser library.</summary>
internal sealed record SimulatorArguments
{
    public const string Usage = """
        Usage: dotnet run --project Simulator -- [options]

        Publishes realistic machine telemetry (the MES telemetry contract) to an MQTT broker.

          --broker host:port     MQTT broker (default 127.0.0.1:1883)
          --plant path           plant model file to simulate (default: the built-in demo plant)
          --prefix topic         topic prefix (default mes)
          --seed n               random seed; the same seed gives the same telemetry (default: a new one, logged)
          --speed x              simulated seconds per real second, above 0 (default 1)
          --start when           simulated start: an ISO 8601 instant, or a negative span back from now such as
                                 -08:00:00 (default: now); with --speed above 1, start in the past, as the MES
                                 refuses events more than two minutes in the future
          --duration span        simulated time to run, e.g. 00:10:00 or 1.00:00:00 (default: until Ctrl+C)
          --truth                print what the machines really did, as JSON, at the end
          --machines n           load mode: n synthetic machines sim/line-{k}/m-{i} instead of a plant model
          --rate r               load mode: about r messages per second in total (default: n)
          --write-plant path     write the plant model that would be simulated to path and exit
          --help                 show this text

        Examples:
          dotnet run --project Simulator -- --start -08:00:00 --speed 60 --duration 08:00:00 --truth
          dotnet run --project Simulator -- --machines 500 --rate 5000 --write-plant load.json
          dotnet run --project Simulator -- --machines 500 --rate 5000 --duration 00:05:00
        """;

    public BrokerEndpoint Broker { get; init; } = new("127.0.0.1", BrokerEndpoint.DefaultPort);

    public string? PlantPath { get; init; }

    public string TopicPrefix { get; init; } = "mes";

    public int? Seed { get; init; }

    public double Speed { get; init; } = 1;

    /// <summary>The simulated start; null for now.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>A simulated start this long before now (zero or negative).</summary>
    public TimeSpan? StartBeforeNow { get; init; }

    public TimeSpan? Duration { get; init; }

    public bool Truth { get; init; }

    public int? Machines { get; init; }

    public double? Rate { get; init; }

    public string? WritePlantPath { get; init; }

    public bool Help { get; init; }

    /// <summary>The arguments, or a message that says what is wrong with them.</summary>
    public static (SimulatorArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args)
    {
        var parsed = new SimulatorArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            if (option is "--truth" or "--help" or "-h")
            {
                parsed = option == "--truth" ? parsed with { Truth = true } : parsed with { Help = true };
                continue;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return Known(option) ? (null, $"{option} needs a value.") : (null, $"Unknown option '{option}'.");
            }

            var value = args[++i];
            var (next, error) = option switch
            {
                "--broker" => BrokerEndpoint.TryParse(value, out var broker)
                    ? Accept(parsed with { Broker = broker })
                    : Refuse($"--broker '{value}' is not host:port, e.g. 127.0.0.1:1883."),
                "--plant" => Accept(parsed with { PlantPath = value }),
                "--prefix" => SimulationSettings.IsValidTopicPrefix(value)
                    ? Accept(parsed with { TopicPrefix = value })
                    : Refuse($"--prefix '{value}' must be one or more topic levels without '+', '#' or empty levels."),
                "--seed" => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
                    ? Accept(parsed with { Seed = seed })
                    : Refuse($"--seed '{value}' is not a whole number."),
                "--speed" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed)
                        && double.IsFinite(speed) && speed > 0 && speed <= SimulationRunner.MaxSpeed
                    ? Accept(parsed with { Speed = speed })
                    : Refuse($"--speed '{value}' must be a number above 0 and at most {SimulationRunner.MaxSpeed}."),
                "--start" => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var before) && before <= TimeSpan.Zero
                    ? Accept(parsed with { Start = null, StartBeforeNow = before })
                    : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
                        ? Accept(parsed with { Start = start, StartBeforeNow = null })
                        : Refuse($"--start '{value}' must be an ISO 8601 instant like 2026-03-02T05:00:00Z or a span back from now like -08:00:00."),
                "--duration" => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var duration) && duration > TimeSpan.Zero
                    ? Accept(parsed with { Duration = duration })
                    : Refuse($"--duration '{value}' must be a positive time span like 00:10:00 or 1.00:00:00."),
                "--machines" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var machines) && machines >= 1
                    ? Accept(parsed with { Machines = machines })
                    : Refuse($"--machines '{value}' must be a whole number of at least 1."),
                "--rate" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && double.IsFinite(rate) && rate > 0
                    ? Accept(parsed with { Rate = rate })
                    : Refuse($"--rate '{value}' must be a number of messages per second above 0."),
                "--write-plant" => Accept(parsed with { WritePlantPath = value }),
                _ => Refuse($"Unknown option '{option}'."),
            };
            if (next is null)
            {
                return (null, error);
            }

            parsed = next;
        }

        return parsed.Conflict() is { } conflict ? (null, conflict) : (parsed, null);
    }

    private static (SimulatorArguments? Next, string? Error) Accept(SimulatorArguments next) => (next, null);

    private static (SimulatorArguments? Next, string? Error) Refuse(string error) => (null, error);

    private string? Conflict() =>
        Machines is not null && PlantPath is not null ? "--machines makes its own plant: leave out --plant."
        : Rate is not null && Machines is null ? "--rate needs --machines."
        : Machines is { } n && (Rate ?? n) > n * 1000.0 ? "--rate may be at most 1000 messages per second per machine."
        : null;

    private static bool Known(string option) => option is "--broker" or "--plant" or "--prefix" or "--seed" or "--speed"
        or "--start" or "--duration" or "--machines" or "--rate" or "--write-plant";
}
