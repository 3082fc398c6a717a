namespace FossilSync.Tests.Infrastructure;

/// <summary>Waiting for something another thread or process brings about, with a deadline.</summary>
internal static class Polling
{
    /// <summary>Polls <paramref name="condition"/> until it holds; throws after 20 s, saying <paramref name="because"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string because = "")
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("waited 20 s: " + because);
            await Task.Delay(50);
        }
    }
}
