using Xunit;

namespace MesOrleans.Testing;

/// <summary>
/// One PostgreSQL server for the whole collection (starting one costs a couple of seconds); every test class or
/// test makes its own database on it. Without PostgreSQL the server is null and each test skips or fails through
/// <see cref="RequiredComponent"/>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer? Server { get; private set; }

    /// <summary>The server, after skipping (or failing under CI) when PostgreSQL is missing.</summary>
    public PostgresServer Require()
    {
        RequiredComponent.SkipOrFailIfMissing(PostgresServer.Missing);
        return Server ?? throw new InvalidOperationException("PostgreSQL did not start; see the collection fixture's error.");
    }

    public async Task InitializeAsync()
    {
        if (PostgresServer.Missing is null)
        {
            Server = await PostgresServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
