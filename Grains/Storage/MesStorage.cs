namespace MesOrleans;

/// <summary>Names of the storage providers grains use; configuration decides what stands behind them.</summary>
public static class MesStorage
{
    /// <summary>The grain state store: SQLite in standalone mode, PostgreSQL in a cluster.</summary>
    public const string Name = "mes";
}
