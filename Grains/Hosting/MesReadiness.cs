namespace MesOrleans.Hosting;

/// <summary>What has to be up before clients may send: the health check answers 200 only when all of it is.</summary>
public sealed class MesReadiness
{
    private volatile bool _plantModelApplied;

    public bool IsReady => _plantModelApplied;

    public string Status => _plantModelApplied ? "ready" : "waiting for the plant model to be applied";

    internal void PlantModelApplied() => _plantModelApplied = true;
}
