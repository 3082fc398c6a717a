using FossilSync.EndToEnd.Measurement;

namespace FossilSync.EndToEnd.Scenarios;

/// <summary>
/// One measured run of one side of a scenario: the client's cost, the bytes on the wire, the
/// server's CPU (when there is a server); <see cref="Failure"/> says what went wrong, if anything;
/// <see cref="Detail"/> is what the plan's inspection found, when it has one; <see cref="ClientFileBytes"/>
/// is the size of the client's repository file after the run (a clone's result, a rebuilt repository).
/// </summary>
internal sealed record RunResult(string Scenario, Side Side, int Repetition, ProcessCost? Cost, long BytesSent, long BytesReceived, double? ServerCpuSeconds, string? Failure, string? Detail = null, long? ClientFileBytes = null)
{
    public bool Succeeded => Failure is null && Cost is not null;
}
