using System.Globalization;
using System.Text;

namespace MesOrleans.Tests.Telemetry;

/// <summary>
/// Writes telemetry payloads the way assorted devices do: fields in any order, extras, whitespace, timestamps with
/// different offsets. Fields are name and raw JSON value, so a test can break exactly one of them.
/// </summary>
internal static class MessageJson
{
    private static readonly string[] Extras =
    [
        "\"fw\":\"4.2.1\"",
        "\"temperature\":21.5",
        "\"meta\":{\"shift\":null,\"tags\":[1,2,{\"a\":true}],\"note\":\"ünïcödé \\\"quoted\\\"\"}",
        "\"alarm\":false",
        "\"n\":null",
        "\"big\":1e308",
    ];

    public static string Timestamp(DateTimeOffset ts, Random random) => random.Next(4) switch
    {
        0 => ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        1 => ts.ToString("O", CultureInfo.InvariantCulture),
        2 => ts.ToOffset(TimeSpan.FromHours(5.5)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        _ => ts.ToOffset(TimeSpan.FromHours(-8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
    };

    public static string String(string value) => $"\"{value}\"";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The fields in random order with random extras and spacing, as UTF-8.</summary>
    public static byte[] Render(IEnumerable<(string Name, string Value)> fields, Random random)
    {
        var members = fields.Select(field => $"\"{field.Name}\":{field.Value}").ToList();
        members.AddRange(Extras.Where(_ => random.Next(4) == 0));
        var shuffled = members.ToArray();
        random.Shuffle(shuffled);
        var separator = random.Next(3) switch
        {
            0 => ",",
            1 => ", ",
            _ => ",\n  ",
        };
        return Encoding.UTF8.GetBytes("{" + string.Join(separator, shuffled) + "}");
    }
}
