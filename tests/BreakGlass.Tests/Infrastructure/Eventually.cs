namespace BreakGlass.Tests.Infrastructure;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or the timeout passes; returns whether it held.</summary>
    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan timeout) => TrueAsync(() => Task.FromResult(condition()), timeout);

    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(200);
        }
        return true;
    }
}
