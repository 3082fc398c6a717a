using System.CommandLine;
using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync demo [REPO]</c>: the main job end to end. Serves a repository (REPO, or a new
/// one) on a free loopback port, clones it over HTTP with FossilSync's client, and verifies both.
/// Everything it makes goes in one temporary folder, removed when it ends, however it ends.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliOutput output)
    {
        var repositoryArgument = CliArguments.ExistingRepository("a repository to serve (default: a new one with one unversioned file)");
        repositoryArgument.Arity = ArgumentArity.ZeroOrOne;
        var command = new CliCommand("demo", "Serve a repository (REPO or a new one) on a free loopback port, clone it over HTTP, then verify the clone.",
            "fossilsync demo",
            "fossilsync demo project.fossil")
        {
            repositoryArgument,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string? given = parsed.GetValue(repositoryArgument);
            string work = Path.Combine(Path.GetTempPath(), "fossilsync-demo-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(work);
            try
            {
                return await RunAsync(given is null ? null : Path.GetFullPath(given), work, output, cancellationToken);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string? given, string work, CliOutput output, CancellationToken cancellationToken)
    {
        string served = given ?? Path.Combine(work, "served.fossil");
        if (given is null)
        {
            using var created = Repository.Create(served);
            created.Unversioned.Put("README.txt", "Served by FossilSync.\n"u8);
            await output.Out.WriteLineAsync($"created   {served}");
        }
        await using var server = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0", cancellationToken: cancellationToken);
        await output.Out.WriteLineAsync($"serving   {server.Url}  (stock fossil can clone it too: fossil clone {server.Url} copy.fossil)");

        string clonePath = Path.Combine(work, "clone.fossil");
        using var transport = new HttpTransport(server.Url);
        var (clone, result) = await FossilClient.CloneAsync(transport, clonePath, new CloneOptions { Unversioned = true }, cancellationToken);
        using (clone)
        {
            await output.Out.WriteLineAsync($"cloned    {clonePath}: {result.ArtifactsReceived} artifacts in {result.Rounds} rounds, {result.ArtifactsLinked} linked, project {result.ProjectCode}");
            var report = clone.Verify(cancellationToken);
            await output.Out.WriteLineAsync($"verified  {report.Verified} artifacts, {report.Problems.Count} problems; {clone.Unversioned.List().Count} unversioned files");
            return report.IsOk ? ExitCodes.Success : ExitCodes.Failed;
        }
    }
}
