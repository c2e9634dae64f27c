using Microsoft.Extensions.Logging;

namespace MesOrleans.Tests.Telemetry;

/// <summary>One line a <see cref="CapturingLogger{T}"/> kept: its text and its structured values.</summary>
internal sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values);
