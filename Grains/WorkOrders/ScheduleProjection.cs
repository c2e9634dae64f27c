using MesOrleans.Shifts;
using MesOrleans.Time;

namespace MesOrleans.WorkOrders;

/// <summary>The work an order still needs (ideal cycle time × parts still to make) and when it is due.</summary>
public sealed record QueuedWork(TimeSpan Work, DateTimeOffset? Due);

/// <summary>When a queued order is planned to start and end (null: no planned time for it within the horizon), and whether it ends after its due date.</summary>
public sealed record ProjectedWork(DateTimeOffset? Start, DateTimeOffset? End, bool Late);

/// <summary>
/// Lays a line's queue out on its shift calendar: each order starts when the one before it ends, and its work fills
/// only planned production time (shifts minus breaks and planned stops), so a job that does not fit before a break or
/// the end of a shift goes on after it, overnight shifts included. An order is late when it is planned to end after it
/// is due.
/// </summary>
public static class ScheduleProjection
{
    /// <summary>How far ahead the calendar is searched for time to do the work.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(400);

    private static readonly TimeSpan Step = TimeSpan.FromDays(14);

    public static IReadOnlyList<ProjectedWork> Project(ShiftCalendar calendar, DateTimeOffset from, IReadOnlyList<QueuedWork> queue)
    {
        var projected = new List<ProjectedWork>(queue.Count);
        DateTimeOffset? cursor = from;
        foreach (var work in queue)
        {
            if (cursor is not { } at)
            {
                // An earlier order found no time: nothing after it is planned either.
                projected.Add(new ProjectedWork(null, null, work.Due is not null));
                continue;
            }

            var (start, end) = Place(calendar, at, from + Horizon, work.Work);
            projected.Add(new ProjectedWork(start, end, work.Due is { } due && (end is not { } e || e > due)));
            cursor = end;
        }

        return projected;
    }

    // The first planned instant at or after the cursor, and the instant the work is done when it fills planned time from there.
    private static (DateTimeOffset? Start, DateTimeOffset? End) Place(ShiftCalendar calendar, DateTimeOffset cursor, DateTimeOffset horizon, TimeSpan work)
    {
        if (work <= TimeSpan.Zero)
        {
            return (cursor, cursor);
        }

        DateTimeOffset? start = null;
        var left = work;
        for (var windowStart = cursor; windowStart < horizon; windowStart += Step)
        {
            foreach (var planned in calendar.PlannedProductionTime(new TimeRange(windowStart, windowStart + Step)))
            {
                var from = planned.Start < cursor ? cursor : planned.Start;
                if (planned.End <= from)
                {
                    continue;
                }

                start ??= from;
                var available = planned.End - from;
                if (available >= left)
                {
                    return (start, from + left);
                }

                left -= available;
            }
        }

        return (start, null);
    }
}
