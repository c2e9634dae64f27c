using MesOrleans.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// Creates the identity database's tables at start when they are missing, for SQLite and PostgreSQL alike, and makes
/// the audit trail append-only with triggers. EF's EnsureCreated is not enough: in a cluster the PostgreSQL database
/// already holds Orleans' tables, and EnsureCreated does nothing in a database with tables. So the schema is created
/// from the model when its own marker table is absent, under an advisory lock so that web servers starting together
/// create it once. (Migrations would need a set per provider kept in step; they come with the first schema change.)
/// </summary>
internal sealed partial class IdentitySchema(IServiceScopeFactory scopes, IOptions<MesOptions> mes, ILogger<IdentitySchema> logger) : IHostedLifecycleService
{
    // A number of our own for pg_advisory_lock: "MESIDENT" as ASCII.
    private const string Lock = "SELECT pg_advisory_lock(5567948088456597076)";
    private const string Unlock = "SELECT pg_advisory_unlock(5567948088456597076)";

    // Before any hosted service starts: Data Protection reads its key ring from these tables at start.
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (mes.Value.Mode == MesMode.Standalone)
        {
            Directory.CreateDirectory(mes.Value.DataDirectory);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MesIdentityDb>();
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync(Lock, cancellationToken);
            }
            else
            {
                // WAL: the audit writer and readers of the admin page do not block each other.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL", cancellationToken);
            }

            if (!await ExistsAsync(db, postgres, cancellationToken))
            {
                await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync(postgres ? PostgresAppendOnly : SqliteAppendOnly, cancellationToken);
                LogCreated(logger, postgres ? "PostgreSQL" : "SQLite");
            }
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync(Unlock, CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> ExistsAsync(MesIdentityDb db, bool postgres, CancellationToken cancellationToken)
    {
        var sql = postgres
            ? "SELECT count(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'MesAudit'"
            : "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'MesAudit'";
        return await db.Database.SqlQueryRaw<int>(sql).SingleAsync(cancellationToken) > 0;
    }

    private const string SqliteAppendOnly = """
        CREATE TRIGGER MesAudit_no_update BEFORE UPDATE ON MesAudit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER MesAudit_no_delete BEFORE DELETE ON MesAudit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """;

    private const string PostgresAppendOnly = """
        CREATE FUNCTION mes_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$;
        CREATE TRIGGER mes_audit_no_change BEFORE UPDATE OR DELETE ON "MesAudit"
          FOR EACH ROW EXECUTE FUNCTION mes_audit_append_only();
        CREATE TRIGGER mes_audit_no_truncate BEFORE TRUNCATE ON "MesAudit"
          FOR EACH STATEMENT EXECUTE FUNCTION mes_audit_append_only();
        """;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the identity database's tables ({Engine})")]
    private static partial void LogCreated(ILogger logger, string engine);
}
