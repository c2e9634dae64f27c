using MesOrleans.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesOrleans.Tests.Storage;

/// <summary>A fresh folder per test, deleted afterwards; the database goes in a subfolder it must create.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("mes-test-").FullName;

    public string DatabasePath => Path.Combine(Root, "data", "mes.db");

    public MesDatabase OpenDatabase() => new(DatabasePath, NullLogger<MesDatabase>.Instance);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
