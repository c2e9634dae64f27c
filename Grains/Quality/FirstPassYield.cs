namespace MesOrleans.Quality;

/// <summary>
/// First-pass yield: units good the first time ÷ units started. Units started are every part made (good, held and
/// scrap); not good the first time are the scrapped ones and those a non-conformance report sent to rework, used as
/// is or returned to the vendor. Reworked parts that end up good therefore do not count, unlike in the quality ratio
/// (good ÷ total), which they raise. NCRs dispositioned scrap add nothing: their parts are booked as scrap.
/// </summary>
public static class FirstPassYield
{
    /// <summary>The parts of <paramref name="ncrs"/> that were not good the first time although not scrapped.</summary>
    public static long NotRightFirstTime(IEnumerable<Ncr> ncrs) =>
        ncrs.Where(n => n.Disposition is Disposition.Rework or Disposition.UseAsIs or Disposition.ReturnToVendor).Sum(n => n.Quantity);

    /// <summary>The yield from 0 to 1, or null when nothing was started.</summary>
    public static double? Calculate(long started, long scrap, IEnumerable<Ncr> ncrs)
    {
        if (started <= 0)
        {
            return null;
        }

        var firstTimeGood = started - scrap - NotRightFirstTime(ncrs);
        return Math.Clamp((double)firstTimeGood / started, 0, 1);
    }
}
