namespace MesOrleans.Plant;

/// <summary>
/// The built-in plant used when Mes:Demo:Enabled is true: a small but realistic site, so that the simulator, the
/// dashboards and OEE have something to show before an admin writes a plant model.
/// </summary>
public static class DemoPlant
{
    /// <summary>The demo plant model; it passes validation.</summary>
    public static PlantModel Model { get; } = new(
        Sites:
        [
            new SiteModel(
                Id: "plant1",
                Name: "Demo Plant",
                TimeZone: "Europe/Berlin",
                Shifts:
                [
                    new ShiftModel("Early", "06:00", "14:00", [new BreakModel("09:00", "09:15"), new BreakModel("12:00", "12:30")]),
                    new ShiftModel("Late", "14:00", "22:00", [new BreakModel("17:00", "17:15"), new BreakModel("19:30", "20:00")]),
                    new ShiftModel("Night", "22:00", "06:00", [new BreakModel("02:00", "02:30")]),
                ],
                Lines:
                [
                    new LineModel("assembly", "Assembly",
                    [
                        new MachineModel("press-1", "Stamping Press 1", IdealCycleTimeSeconds: 12),
                        new MachineModel("press-2", "Stamping Press 2", IdealCycleTimeSeconds: 12),
                        new MachineModel("welder-1", "Spot Welder 1", IdealCycleTimeSeconds: 25, MicroStopThresholdSeconds: 90),
                        new MachineModel("assembly-cell-1", "Assembly Cell 1", IdealCycleTimeSeconds: 45, MicroStopThresholdSeconds: 180),
                    ]),
                    // Fast packaging machines: a stop of a minute is already a real stoppage, not a minor one. The line's
                    // output is bottles, so it counts at the labeler; the palletizer counts pallets.
                    new LineModel("packaging", "Packaging",
                    [
                        new MachineModel("filler-1", "Filler 1", IdealCycleTimeSeconds: 2.5, MicroStopThresholdSeconds: 30),
                        new MachineModel("capper-1", "Capper 1", IdealCycleTimeSeconds: 2.5, MicroStopThresholdSeconds: 30),
                        new MachineModel("labeler-1", "Labeler 1", IdealCycleTimeSeconds: 3, MicroStopThresholdSeconds: 30),
                        new MachineModel("palletizer-1", "Palletizer 1", IdealCycleTimeSeconds: 60),
                    ],
                    CountingMachineId: "labeler-1"),
                ]),
        ],
        DowntimeReasons:
        [
            new DowntimeReasonModel("E12", "Hydraulic fault", "breakdown", Planned: false),
            new DowntimeReasonModel("E21", "Electrical fault", "breakdown", Planned: false),
            new DowntimeReasonModel("E33", "Tool breakage", "breakdown", Planned: false),
            new DowntimeReasonModel("E40", "Material jam", "breakdown", Planned: false),
            new DowntimeReasonModel("CO", "Product changeover", "setup", Planned: false),
            new DowntimeReasonModel("ADJ", "Adjustment after changeover", "setup", Planned: false),
            new DowntimeReasonModel("MS1", "Sensor blocked", "minor-stop", Planned: false),
            new DowntimeReasonModel("MS2", "Part misfeed", "minor-stop", Planned: false),
            new DowntimeReasonModel("NM", "No material", "idle", Planned: false),
            new DowntimeReasonModel("NOP", "No operator", "idle", Planned: false),
            new DowntimeReasonModel("QC", "Quality check", "quality-check", Planned: false),
            new DowntimeReasonModel("PM", "Preventive maintenance", "planned-maintenance", Planned: true),
            new DowntimeReasonModel("BRK", "Break", "planned-stop", Planned: true),
            new DowntimeReasonModel("MTG", "Team meeting", "planned-stop", Planned: true),
            new DowntimeReasonModel("NOO", "No orders", "planned-stop", Planned: true),
        ],
        ScrapReasons:
        [
            new ScrapReasonModel("S01", "Burr", "production-reject"),
            new ScrapReasonModel("S02", "Dimension out of tolerance", "production-reject"),
            new ScrapReasonModel("S03", "Weld defect", "production-reject"),
            new ScrapReasonModel("S04", "Surface scratch", "production-reject"),
            new ScrapReasonModel("S05", "Wrong or missing label", "production-reject"),
            new ScrapReasonModel("S10", "Start-up scrap after changeover", "startup-reject"),
            new ScrapReasonModel("S11", "Warm-up reject", "startup-reject"),
        ],
        Products:
        [
            new ProductModel("BRK-100", "Bracket, steel", 45),
            new ProductModel("BRK-200", "Bracket, heavy", 55, new Dictionary<string, double> { ["press-1"] = 15, ["press-2"] = 15, ["welder-1"] = 30 }),
            new ProductModel("BTL-050", "Bottle 0.5 l", 3),
            new ProductModel("BTL-100", "Bottle 1 l", 3.6, new Dictionary<string, double> { ["filler-1"] = 3.2, ["capper-1"] = 2.5 }),
        ]);
}
