using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync demo [REPO]</c>: the main job end to end. Serves a repository (REPO, or a new
/// one) on a free loopback port, clones it over HTTP with FossilSync's client, and verifies both.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string work = Path.Combine(Path.GetTempPath(), "fossilsync-demo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        string served = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(work, "served.fossil");
        if (args.Length == 0)
        {
            using var created = Repository.Create(served);
            created.Unversioned.Put("README.txt", "Served by FossilSync.\n"u8);
            await stdout.WriteLineAsync($"created   {served}");
        }
        await using var server = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0", cancellationToken: cancellationToken);
        await stdout.WriteLineAsync($"serving   {server.Url}  (stock fossil can clone it too: fossil clone {server.Url} copy.fossil)");

        string clonePath = Path.Combine(work, "clone.fossil");
        using var transport = new HttpTransport(server.Url);
        var (clone, result) = await FossilClient.CloneAsync(transport, clonePath, new CloneOptions { Unversioned = true }, cancellationToken);
        using (clone)
        {
            await stdout.WriteLineAsync($"cloned    {clonePath}: {result.ArtifactsReceived} artifacts in {result.Rounds} rounds, {result.ArtifactsLinked} linked, project {result.ProjectCode}");
            var report = clone.Verify(cancellationToken);
            await stdout.WriteLineAsync($"verified  {report.Verified} artifacts, {report.Problems.Count} problems; {clone.Unversioned.List().Count} unversioned files");
            return report.IsOk ? 0 : 1;
        }
    }
}
