using Xunit;

namespace MesOrleans.Testing;

/// <summary>
/// A test that needs a component missing on this machine skips with the reason on a developer's machine and fails
/// under CI (CI=true), where .ci/run must have installed it.
/// </summary>
public static class RequiredComponent
{
    public static void SkipOrFailIfMissing(string? missing)
    {
        if (missing is null)
        {
            return;
        }

        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), missing);
        Skip.If(true, missing);
    }
}
