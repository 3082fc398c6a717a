using FossilSync.EndToEnd.Generation;

namespace FossilSync.EndToEnd;

/// <summary>
/// <c>FossilSync.EndToEnd [--size small|large] [--reps N] [--out DIR] [--seed S] [--generate-only]</c>.
/// </summary>
internal static class EndToEndCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        if (EndToEndOptions.Parse(args) is not { } options)
        {
            Console.Error.WriteLine(EndToEndOptions.Usage);
            return Task.FromResult(2);
        }
        Environment.SetEnvironmentVariable("USER", BenchmarkRepositories.User);
        var repositories = BenchmarkRepositories.GetOrBuild(options.Profile, options.Seed, Console.Out);
        if (options.GenerateOnly) return Task.FromResult(0);
        _ = repositories;
        return Task.FromResult(0);
    }
}
