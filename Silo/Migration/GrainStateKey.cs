using System.Text;
using Orleans.Storage;

namespace MesOrleans.Silo.Migration;

/// <summary>
/// Where the Orleans ADO.NET grain storage (Microsoft.Orleans.Persistence.AdoNet 10.4.2) keeps one state of one grain
/// in <c>orleans_grain_state</c> (<c>deploy/postgres/003-orleans-grain-state.sql</c>): the provider calls the state's
/// name its "grain type" and identifies the grain by its key alone, split as its <c>AdoGrainKey</c> does (GUID and
/// integer keys as two 64-bit halves plus an optional extension, other keys as a string), with its default hasher
/// over the key's bytes in reverse and over the state name. A row written elsewhere under these values is the row the
/// provider reads.
/// </summary>
internal sealed record GrainStateKey(int GrainIdHash, long GrainIdN0, long GrainIdN1, string? GrainIdString, int StateNameHash, string StateName)
{
    private static readonly OrleansDefaultHasher Hasher = new();

    /// <param name="grainType">The grain's type as <see cref="GrainId.Type"/> writes it, e.g. <c>machine</c>.</param>
    /// <param name="grainKey">The grain's key as <see cref="GrainId.Key"/> writes it.</param>
    /// <param name="stateName">The name in <c>[PersistentState("name", ...)]</c>.</param>
    public static GrainStateKey Of(string grainType, string grainKey, string stateName)
    {
        var grainId = GrainId.Create(grainType, grainKey);
        long n0 = 0, n1 = 0;
        string? text;
        byte[] bytes;
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            bytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(bytes, 0);
            n1 = BitConverter.ToInt64(bytes, 8);
            text = guidExtension;
        }
        else if (grainId.TryGetIntegerKey(out var integer, out var integerExtension))
        {
            n1 = integer;
            bytes = BitConverter.GetBytes(integer);
            text = integerExtension;
        }
        else
        {
            text = grainId.Key.ToString();
            bytes = [];
        }

        if (text is not null)
        {
            bytes = [.. bytes, .. Encoding.UTF8.GetBytes(text)];
        }

        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return new GrainStateKey(Hasher.Hash(bytes), n0, n1, text, Hasher.Hash(Encoding.UTF8.GetBytes(stateName)), stateName);
    }
}
