using MesOrleans.Errors;

namespace MesOrleans.Plant;

/// <summary>The outcome of reading a plant model document: the model when it is valid, otherwise every problem found.</summary>
public sealed record PlantModelReadResult(PlantModel? Model, IReadOnlyList<ValidationProblem> Problems)
{
    /// <summary>True when the document parsed and passed validation.</summary>
    public bool IsValid => Model is not null && Problems.Count == 0;
}
