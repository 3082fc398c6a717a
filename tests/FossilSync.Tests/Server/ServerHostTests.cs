using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FossilSync.Tests.Server;

public sealed class ServerHostTests
{
    [Fact]
    public async Task The_standalone_server_watches_no_files()
    {
        // A watcher on the current folder woke on every write there (a repository's journal, a
        // clone made next to it) and took most of the server's CPU during a large clone.
        using var dir = new TempDirectory();
        string path = dir.File("served.fossil");
        Repository.Create(path).Dispose();
        await using var server = await FossilSyncServer.StartAsync(path, "http://127.0.0.1:0");

        var configuration = (IConfigurationRoot)server.Services.GetRequiredService<IConfiguration>();
        configuration.Providers.OfType<FileConfigurationProvider>().Should().OnlyContain(p => !p.Source.ReloadOnChange);
        server.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().ContentRootPath
            .Should().Be(AppContext.BaseDirectory, "not whatever folder the server happens to be started in");
    }
}
