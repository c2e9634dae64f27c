using System.Buffers;
using System.Text;

namespace MesOrleans.Tests.Telemetry;

/// <summary>Payloads as the broker hands them over: one buffer, or a chain of buffers split anywhere.</summary>
internal static class Payloads
{
    public static ReadOnlySequence<byte> Of(string json) => new(Encoding.UTF8.GetBytes(json));

    /// <summary>The same bytes as a chain of segments cut at <paramref name="cuts"/> (ascending offsets).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        if (cuts.Length == 0)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var bounds = cuts.Prepend(0).Append(bytes.Length).ToArray();
        var first = new Segment(bytes.AsMemory(bounds[0], bounds[1] - bounds[0]), 0);
        var last = first;
        for (var i = 1; i < bounds.Length - 1; i++)
        {
            last = last.Append(bytes.AsMemory(bounds[i], bounds[i + 1] - bounds[i]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
