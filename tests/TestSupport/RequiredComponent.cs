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

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{missing}: CI must install it (.ci/run).");
        }

        Skip.If(true, $"{missing}: install it to run this test.");
    }
}
