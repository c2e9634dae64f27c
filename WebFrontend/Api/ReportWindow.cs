using MesOrleans.Errors;
using MesOrleans.Oee;

namespace MesOrleans.WebFrontend.Api;

/// <summary>
/// The windows reports may ask for (OEE, maintenance KPIs, period reports): inside 2000–2100, ending after they start,
/// at most <see cref="OeeHistory.MaxWindow"/> long (period reports, read from rollups: <see cref="MaxReportSpan"/>).
/// Calendars walk a window day by day in the site's time zone, so a window at the edge of the calendar (year 1 or 9999)
/// or a century long must be refused before anything reads it.
/// </summary>
public static class ReportWindow
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The longest window of a period report: two years and a leap day, so that a year compares with the one before.</summary>
    public static readonly TimeSpan MaxReportSpan = TimeSpan.FromDays(731);

    /// <summary>
    /// The window a request asks for: both <c>from</c> and <c>to</c>, or neither for the <paramref name="lastPeriod"/>
    /// up to <paramref name="now"/>; checked as <see cref="Check"/> does.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Of(DateTimeOffset? from, DateTimeOffset? to, TimeSpan lastPeriod, DateTimeOffset now)
    {
        var (start, end) = (from, to) switch
        {
            (null, null) => (now - lastPeriod, now),
            ({ } f, { } t) => (f, t),
            _ => throw MesCommandException.Invalid($"Give both 'from' and 'to' (ISO 8601), or neither for the last {lastPeriod.TotalDays:0} days.",
                [new(from is null ? "from" : "to", "is required with the other.")]),
        };
        Check(start, end);
        return (start, end);
    }

    /// <summary>Throws Invalid naming <c>from</c> or <c>to</c> when the window is not one reports can read.</summary>
    public static void Check(DateTimeOffset from, DateTimeOffset to) => Check(from, to, OeeHistory.MaxWindow);

    /// <summary>Throws Invalid naming <c>from</c> or <c>to</c> when the window is not inside 2000–2100 and at most <paramref name="longest"/> long.</summary>
    public static void Check(DateTimeOffset from, DateTimeOffset to, TimeSpan longest)
    {
        var problems = new List<ValidationProblem>();
        if (from < Earliest || from >= Latest)
        {
            problems.Add(new("from", $"must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}."));
        }

        if (to <= Earliest || to > Latest)
        {
            problems.Add(new("to", $"must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}."));
        }

        if (to <= from)
        {
            problems.Add(new("to", "must be after 'from'."));
        }
        else if (to - from > longest)
        {
            problems.Add(new("to", $"may be at most {longest.TotalDays:0} days after 'from'."));
        }

        if (problems.Count > 0)
        {
            throw MesCommandException.Invalid("The window is outside what reports can read.", problems);
        }
    }
}
