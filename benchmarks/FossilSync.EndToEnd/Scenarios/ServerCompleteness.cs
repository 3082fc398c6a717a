using System.Globalization;
using FossilSync.EndToEnd.Generation;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Scenarios;

/// <summary>
/// What a pushed-to server holds afterwards, measured against the client that pushed: the
/// client's artifacts (and how many of them, clusters among them, the server lacked before the
/// push), how many of those the server stores now, what it stores that the client does not, its
/// phantoms, and what <c>fossil test-integrity</c> says of it (read from its text: it exits 0
/// even when it finds errors). The push was complete only if the two blob sets are equal, the
/// server has no phantom and its integrity report is clean; and the run proves something only
/// if clusters were among what the client had to push.
/// </summary>
internal sealed record ServerCompleteness(
    int ClientArtifacts,
    int NewArtifacts,
    int NewClusters,
    int NewStored,
    int Missing,
    int Extra,
    int Phantoms,
    string? IntegrityProblem)
{
    /// <summary>Inspects <paramref name="server"/> after <paramref name="client"/> pushed to a server that held <paramref name="before"/>.</summary>
    public static ServerCompleteness Inspect(string folder, string client, string server, IReadOnlySet<string> before)
    {
        var clientArtifacts = ClusteredClient.Artifacts(client);
        var serverArtifacts = ClusteredClient.Artifacts(server);
        var fresh = clientArtifacts.Where(h => !before.Contains(h)).ToHashSet(StringComparer.Ordinal);
        int newClusters = ClusteredClient.Clusters(client).Count(fresh.Contains);
        int phantoms = int.Parse(StockFossil.Ok(folder, "sql", "-R", server, "select count(*) from blob where size<0").Trim(), CultureInfo.InvariantCulture);
        var integrity = StockFossil.Run(folder, "test-integrity", "-R", server);
        string? problem = integrity.ExitCode != 0 ? $"exit {integrity.ExitCode}: {UsabilityChecks.Tail(integrity.Stderr + integrity.Stdout)}"
            : integrity.IntegrityOk ? null
            : UsabilityChecks.Tail(integrity.Stdout);
        return new ServerCompleteness(
            clientArtifacts.Count,
            fresh.Count,
            newClusters,
            fresh.Count(serverArtifacts.Contains),
            clientArtifacts.Count(h => !serverArtifacts.Contains(h)),
            serverArtifacts.Count(h => !clientArtifacts.Contains(h)),
            phantoms,
            problem);
    }

    /// <summary>Null when the server holds exactly the client's artifacts, soundly; else what is wrong.</summary>
    public string? Failure =>
        NewClusters == 0 ? "no cluster was among the artifacts to push, so this run proves nothing about clustered pushes"
        : Missing > 0 || Extra > 0 || Phantoms > 0 ? $"the server's artifacts differ from the client's: {Describe()}"
        : IntegrityProblem is not null ? $"fossil test-integrity on the server reported: {IntegrityProblem}"
        : null;

    /// <summary>One line for the progress output and the results.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"stored {NewStored:#,0} of {NewArtifacts:#,0} new artifacts ({NewClusters} clusters among them); "
        + $"client {ClientArtifacts:#,0}, server lacks {Missing:#,0}, has {Extra:#,0} more, {Phantoms:#,0} phantoms; "
        + $"test-integrity {(IntegrityProblem is null ? "clean" : "NOT clean")}");
}
