using MesOrleans.WebFrontend.Security.Audit;
using MesOrleans.WebFrontend.Security.Stations;
using MesOrleans.WebFrontend.Security.Tokens;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MesOrleans.WebFrontend.Security.Accounts;

/// <summary>
/// The identity database: Identity's users, the grants of roles per site, API tokens, bound stations, the audit
/// trail and the Data Protection keys (so that sessions and tokens outlive a restart). SQLite <c>identity.db</c>
/// in standalone mode, PostgreSQL (<c>ConnectionStrings:Mes</c>) in a cluster.
/// </summary>
public sealed class MesIdentityDb(DbContextOptions<MesIdentityDb> options) : IdentityDbContext<MesUser>(options), IDataProtectionKeyContext
{
    public DbSet<UserGrant> Grants => Set<UserGrant>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Station> Stations => Set<Station>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // SQLite cannot compare or sort DateTimeOffset text; as a number (UTC ticks first) it can.
        if (Database.IsSqlite())
        {
            configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<MesUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(Errors.TextLimits.Person);
            user.HasIndex(u => u.BadgeHash).IsUnique();
        });
        builder.Entity<UserGrant>(grant =>
        {
            grant.ToTable("MesGrants");
            grant.HasIndex(g => new { g.UserId, g.Site, g.Role }).IsUnique();
            grant.HasOne<MesUser>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ApiToken>().ToTable("MesApiTokens");
        builder.Entity<Station>().ToTable("MesStations");
        builder.Entity<AuditEntry>(audit =>
        {
            audit.ToTable("MesAudit");
            audit.HasIndex(a => a.At);
        });
    }
}
