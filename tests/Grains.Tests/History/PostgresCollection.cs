using MesOrleans.Testing;

namespace MesOrleans.Tests.History;

/// <summary>The tests that share one PostgreSQL server in this assembly; each makes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
