using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

/// <summary>The README's in-process quick start compiles and clones, as written there.</summary>
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public async Task The_in_process_client_and_server_of_the_readme_clone_a_repository()
    {
        using var dir = new TempDirectory();
        StockRepositoryBuilder.Build(dir.File("project.fossil"), commits: 2, seed: 17);

        // As in README.md, "In-process client and server, for tests".
        using var served = Repository.Open(dir.File("project.fossil"));
        var inProcess = new MockTransport((request, ct) => SyncHandler.HandleSyncAsync(served, request, cancellationToken: ct));
        var (copy, result) = await FossilClient.CloneAsync(inProcess, dir.File("copy.fossil"));
        copy.Dispose();

        result.ProjectCode.Should().Be(served.ProjectCode);
        StockFossil.Run(dir.Path, "test-integrity", "-R", dir.File("copy.fossil")).IntegrityOk.Should().BeTrue();
    }
}
