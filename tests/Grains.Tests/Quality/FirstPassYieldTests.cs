using MesOrleans.Quality;

namespace MesOrleans.Tests.Quality;

public sealed class FirstPassYieldTests
{
    [Fact]
    public void Reworked_parts_are_not_good_the_first_time_and_ncrs_dispositioned_scrap_are_not_counted_twice()
    {
        Ncr[] ncrs = [Ncr(30, Disposition.Rework), Ncr(5, Disposition.UseAsIs), Ncr(5, Disposition.ReturnToVendor), Ncr(10, Disposition.Scrap), Ncr(7, null)];

        // 1,000 started, 20 scrapped, 40 not right the first time: (1000 − 20 − 40) / 1000 = 0.94; quality good/total would be 0.98.
        Assert.Equal(40, FirstPassYield.NotRightFirstTime(ncrs));
        Assert.Equal(0.94, FirstPassYield.Calculate(1_000, 20, ncrs)!.Value, 6);
    }

    [Fact]
    public void Nothing_started_has_no_yield_and_the_yield_never_goes_below_zero()
    {
        Assert.Null(FirstPassYield.Calculate(0, 0, []));
        Assert.Equal(0, FirstPassYield.Calculate(10, 8, [Ncr(5, Disposition.Rework)])!.Value);
    }

    private static Ncr Ncr(long quantity, Disposition? disposition) =>
        new(1, "plant1", "P", null, quantity, "D1", null, "Quinn", DateTimeOffset.UnixEpoch, disposition is null ? NcrStatus.Open : NcrStatus.Dispositioned, [])
        {
            Disposition = disposition,
        };
}
