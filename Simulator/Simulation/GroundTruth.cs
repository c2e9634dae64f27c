using System.Text;
using System.Text.Json;
using MesOrleans.Machines;

namespace MesOrleans.Simulator;

/// <summary>What the simulated plant really did between <paramref name="Start"/> and <paramref name="End"/>.</summary>
/// <param name="Seed">The seed that reproduces the run.</param>
/// <param name="Start">The simulated start.</param>
/// <param name="End">How far simulated time has advanced.</param>
/// <param name="Machines">Every machine, in plant model order.</param>
public sealed record GroundTruth(int Seed, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<MachineTruth> Machines)
{
    /// <summary>The truth as indented JSON: times in seconds, states by their telemetry names.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seed", Seed);
            writer.WriteString("start", TelemetryPayload.Format(Start));
            writer.WriteString("end", TelemetryPayload.Format(End));
            writer.WriteStartArray("machines");
            foreach (var machine in Machines)
            {
                Write(writer, machine);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, MachineTruth machine)
    {
        writer.WriteStartObject();
        writer.WriteString("machine", machine.Machine.ToString());
        writer.WriteNumber("total", machine.Total);
        writer.WriteNumber("scrap", machine.Scrap);
        writer.WriteNumber("lastSequence", machine.LastSequence);
        writer.WriteNumber("stops", machine.Stops);
        writer.WriteNumber("breakdowns", machine.Breakdowns);
        if (machine.Oee is { } oee)
        {
            writer.WriteNumber("oee", Math.Round(oee, 4));
        }

        writer.WriteStartObject("secondsInState");
        foreach (var state in Enum.GetValues<MachineState>())
        {
            if (machine.TimeInState.TryGetValue(state, out var time))
            {
                writer.WriteNumber(TelemetryPayload.Name(state), time.TotalSeconds);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
