using MesOrleans.Plant;

namespace MesOrleans.Tests.Plant;

/// <summary>A small valid plant model and ways to break exactly one thing in it.</summary>
internal static class TestPlant
{
    public static PlantModel Valid { get; } = new(
        [
            new SiteModel("plant1", "Plant 1", "Europe/Berlin",
                [
                    new ShiftModel("Early", "06:00", "14:00", [new BreakModel("09:00", "09:15")]),
                    new ShiftModel("Late", "14:00", "22:00", []),
                    new ShiftModel("Night", "22:00", "06:00", [new BreakModel("02:00", "02:30")]),
                ],
                [
                    new LineModel("assembly", "Assembly",
                    [
                        new MachineModel("press-1", "Press 1", 30, 120),
                        new MachineModel("press-2", "Press 2", 30),
                    ]),
                    new LineModel("packaging", "Packaging", [new MachineModel("filler-1", "Filler 1", 2.5)]),
                ]),
        ],
        [
            new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", false),
            new DowntimeReasonModel("PM", "Preventive maintenance", "planned-maintenance", true),
        ],
        [
            new ScrapReasonModel("S01", "Burr", "production-reject"),
            new ScrapReasonModel("S02", "Scratch", "production-reject"),
        ]);

    public static PlantModel WithSite(Func<SiteModel, SiteModel> change) =>
        Valid with { Sites = [change(Valid.Sites[0])] };

    public static PlantModel WithShifts(params ShiftModel[] shifts) =>
        WithSite(site => site with { Shifts = shifts });

    public static PlantModel WithShift(int index, Func<ShiftModel, ShiftModel> change) =>
        WithSite(site => site with { Shifts = Replace(site.Shifts, index, change) });

    public static PlantModel WithLine(int index, Func<LineModel, LineModel> change) =>
        WithSite(site => site with { Lines = Replace(site.Lines, index, change) });

    public static PlantModel WithMachine(int line, int index, Func<MachineModel, MachineModel> change) =>
        WithLine(line, l => l with { Machines = Replace(l.Machines, index, change) });

    public static PlantModel WithDowntimeReason(int index, Func<DowntimeReasonModel, DowntimeReasonModel> change) =>
        Valid with { DowntimeReasons = Replace(Valid.DowntimeReasons, index, change) };

    public static PlantModel WithScrapReason(int index, Func<ScrapReasonModel, ScrapReasonModel> change) =>
        Valid with { ScrapReasons = Replace(Valid.ScrapReasons, index, change) };

    public static IReadOnlyList<T> Replace<T>(IReadOnlyList<T> list, int index, Func<T, T> change) =>
        [.. list.Select((item, i) => i == index ? change(item) : item)];
}
