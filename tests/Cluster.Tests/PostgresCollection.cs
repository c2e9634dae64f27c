using MesOrleans.Testing;

namespace MesOrleans.Cluster.Tests;

/// <summary>The tests that share the PostgreSQL server; they run one after another, as clusters of silos are heavy.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
