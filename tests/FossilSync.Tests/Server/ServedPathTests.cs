using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace FossilSync.Tests.Server;

/// <summary>A wrong repository path fails when the endpoint is mapped; a file that goes away later is reported to clients as an error card, not a 500.</summary>
public sealed class ServedPathTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task MapFossilSync_with_a_missing_or_non_repository_path_throws_at_start_up()
    {
        string text = _dir.File("notes.txt");
        File.WriteAllText(text, "not a repository\n");
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var missing = () => app.MapFossilSync("/{**path}", _dir.File("missing.fossil"));
        missing.Should().Throw<RepositoryException>().WithMessage("*missing.fossil does not exist*");
        var notRepository = () => FossilSyncEndpoints.CreateRequestDelegate(text);
        notRepository.Should().Throw<RepositoryException>().WithMessage("*not a Fossil repository*");
        File.ReadAllText(text).Should().Be("not a repository\n");
    }

    [Fact]
    public async Task A_repository_removed_while_served_is_an_error_card_for_our_client_and_for_stock()
    {
        string path = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(path, commits: 1, seed: 5);
        await using var server = await FossilSyncServer.StartAsync(path, "http://127.0.0.1:0");
        File.Delete(path);

        var act = () => FossilClient.CloneAsync(new HttpTransport(server.Url), _dir.File("copy.fossil"), new CloneOptions { User = "x", Password = "y" });
        var thrown = (await act.Should().ThrowAsync<SyncProtocolException>()).Which;
        thrown.Reason.Should().Be(SyncFailureReason.ServerError);
        thrown.ServerMessage.Should().Contain("does not exist");

        var stock = StockFossil.Run(_dir.Path, "clone", server.Url.ToString(), _dir.File("stock.fossil"));
        stock.ExitCode.Should().NotBe(0);
        (stock.Stdout + stock.Stderr).Should().Contain("does not exist").And.NotContain("500");
    }
}
