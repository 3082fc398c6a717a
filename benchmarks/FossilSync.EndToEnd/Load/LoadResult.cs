using FossilSync.EndToEnd.Scenarios;

namespace FossilSync.EndToEnd.Load;

/// <summary>
/// One measured load run of one server: the sample (none when the run broke down before or
/// during the load) and what went wrong, if anything — a failed sanity sync, a server that
/// would not start, or requests that failed under load.
/// </summary>
internal sealed record LoadResult(Side Side, int Repetition, LoadSample? Sample, string? Failure)
{
    public bool Succeeded => Failure is null && Sample is { Failed: 0 };
}
