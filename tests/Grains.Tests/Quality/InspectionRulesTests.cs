using MesOrleans.Quality;

namespace MesOrleans.Tests.Quality;

public sealed class InspectionRulesTests
{
    private static readonly InspectionPlan Plan = new("BRK-1",
    [
        new Characteristic("diameter", CharacteristicKind.Measured, 10.0, 9.9, 10.1, "mm", 5),
        new Characteristic("label", CharacteristicKind.PassFail),
    ]);

    [Fact]
    public void A_measured_value_outside_its_limits_fails_and_pass_fail_takes_the_inspectors_word()
    {
        var (outcomes, problems) = InspectionRules.Judge(Plan,
            [new CharacteristicResult("Diameter", [10.0, 10.05, 9.95, 10.1, 9.9]), new CharacteristicResult("label", Pass: false)]);
        Assert.Empty(problems);
        Assert.Equal([("diameter", true), ("label", false)], outcomes.Select(o => (o.Characteristic, o.Passed)));

        (outcomes, _) = InspectionRules.Judge(Plan, [new CharacteristicResult("diameter", [10.0, 10.0, 10.0, 10.0, 10.11])]);
        Assert.False(Assert.Single(outcomes).Passed);
    }

    [Fact]
    public void Every_problem_of_an_inspection_is_named_by_its_path()
    {
        var (_, problems) = InspectionRules.Judge(Plan,
        [
            new CharacteristicResult("diameter", [10.0, 10.0]),
            new CharacteristicResult("label"),
            new CharacteristicResult("colour", Pass: true),
            new CharacteristicResult("LABEL", Pass: true),
        ]);

        Assert.Equal(["$.results[0].values", "$.results[1].pass", "$.results[2].characteristic", "$.results[3].characteristic"], problems.Select(p => p.Path));
        Assert.Equal("$.results", Assert.Single(InspectionRules.Judge(Plan, []).Problems).Path);
    }

    [Fact]
    public void Every_problem_of_a_plan_is_named_by_its_path()
    {
        var plan = Plan with
        {
            Characteristics =
            [
                new Characteristic("diameter", CharacteristicKind.Measured, 12, 9.9, 10.1, SubgroupSize: 11, XbarLimits: new ControlLimits(10, 9, 11)),
                new Characteristic("Diameter", CharacteristicKind.Measured, Lower: 2, Upper: 1),
                new Characteristic("label", CharacteristicKind.PassFail, Upper: 1),
                new Characteristic("", CharacteristicKind.PassFail),
            ],
        };

        Assert.Equal(
            [
                "$.characteristics[0].subgroupSize", "$.characteristics[0].nominal", "$.characteristics[0].xbarLimits",
                "$.characteristics[1].name", "$.characteristics[1].lower", "$.characteristics[2]", "$.characteristics[3].name",
            ],
            InspectionRules.Check(plan).Select(p => p.Path));
        Assert.Empty(InspectionRules.Check(Plan));
    }
}
