using MesOrleans.Errors;
using MesOrleans.Plant;

namespace MesOrleans.Tests.Plant;

/// <summary>Products with their ideal cycle times per machine, and the machine that counts each line's output.</summary>
public sealed class ProductsTests
{
    private static readonly ProductModel Bracket = new("BRK-100.2", "Bracket", 40, new Dictionary<string, double>
    {
        ["press-1"] = 28,                     // by id: every press-1
        ["plant1/assembly/press-2"] = 35,     // by path: this one
    });

    private static readonly PlantView Plant = new(new PlantModelSnapshot(1, TestPlant.Valid with { Products = [Bracket] }, []));

    [Fact]
    public void A_products_time_on_a_machine_comes_by_path_then_by_id_then_from_the_product_and_without_a_product_from_the_machine()
    {
        Assert.Equal(TimeSpan.FromSeconds(28), Plant.IdealCycleTime(Machine("assembly", "press-1"), "BRK-100.2"));
        Assert.Equal(TimeSpan.FromSeconds(35), Plant.IdealCycleTime(Machine("assembly", "press-2"), "brk-100.2"));
        Assert.Equal(TimeSpan.FromSeconds(40), Plant.IdealCycleTime(Machine("packaging", "filler-1"), "BRK-100.2"));
        Assert.Equal(TimeSpan.FromSeconds(2.5), Plant.IdealCycleTime(Machine("packaging", "filler-1"), null));
        Assert.Equal(TimeSpan.FromSeconds(30), Plant.IdealCycleTime(Machine("assembly", "press-1"), "UNKNOWN"));
    }

    [Fact]
    public void A_line_counts_at_the_machine_it_names_else_at_its_last()
    {
        var named = new PlantView(new PlantModelSnapshot(1, TestPlant.WithLine(0, l => l with { CountingMachineId = "press-1" }), []));

        Assert.Equal(Machine("assembly", "press-2"), Plant.CountingMachineOf(EquipmentPath.ForLine("plant1", "assembly")));
        Assert.Equal(Machine("assembly", "press-1"), named.CountingMachineOf(EquipmentPath.ForLine("plant1", "assembly")));
        Assert.Null(Plant.CountingMachineOf(EquipmentPath.ForLine("plant1", "nowhere")));
    }

    [Fact]
    public void Valid_products_and_counting_machines_have_no_problems_and_files_without_them_stay_valid()
    {
        Assert.Empty(PlantModelValidator.Validate(TestPlant.Valid with { Products = [Bracket] }));
        Assert.Empty(PlantModelValidator.Validate(TestPlant.WithLine(0, l => l with { CountingMachineId = "press-1" })));
        Assert.Empty(PlantModelValidator.Validate(TestPlant.Valid));
    }

    [Fact]
    public void Every_problem_of_products_and_counting_machines_is_named_by_its_path()
    {
        var model = TestPlant.WithLine(1, l => l with { CountingMachineId = "press-1" }) with
        {
            Products =
            [
                Bracket,
                Bracket with { Name = "Bracket again" },
                new ProductModel("has space", "", 0, new Dictionary<string, double> { ["robot-9"] = 10, ["press-2"] = -1 }),
                null!,
            ],
        };

        Assert.Equal(
            [
                "$.products[1].partNumber",
                "$.products[2].idealCycleTimeSeconds",
                "$.products[2].machines.press-2",
                "$.products[2].machines.robot-9",
                "$.products[2].name",
                "$.products[2].partNumber",
                "$.products[3]",
                "$.sites[0].lines[1].countingMachineId",
            ],
            PlantModelValidator.Validate(model).Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_file_wins_for_the_products_it_names_and_others_added_since_stay()
    {
        var current = TestPlant.Valid with { Products = [Bracket, new ProductModel("CAP-1", "Cap", 5)] };
        var file = TestPlant.Valid with { Products = [Bracket with { IdealCycleTimeSeconds = 42 }] };

        var merged = PlantModelMerge.Merge(current, file, new HashSet<string>());

        Assert.Equal([("BRK-100.2", 42.0), ("CAP-1", 5.0)], merged.Products!.Select(p => (p.PartNumber, p.IdealCycleTimeSeconds)));
    }

    private static EquipmentPath Machine(string line, string machine) => EquipmentPath.ForMachine("plant1", line, machine);
}
