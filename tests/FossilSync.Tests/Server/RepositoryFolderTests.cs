using FossilSync.AspNetCore;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FossilSync.Tests.Server;

/// <summary>
/// Which request paths <see cref="FossilRepositoryFolder"/> maps to a repository: stock
/// <c>fossil server DIR</c>'s names, and never a file outside the folder.
/// </summary>
public sealed class RepositoryFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;
    private readonly string _outside;
    private readonly FossilRepositoryFolder _folder;

    public RepositoryFolderTests()
    {
        _served = Directory.CreateDirectory(_dir.File("served")).FullName;
        _outside = Directory.CreateDirectory(_dir.File("outside")).FullName;
        Directory.CreateDirectory(Path.Combine(_served, "team"));
        foreach (string repository in new[] { "alpha", "team/beta", ".hidden", "-dash", "a..b", "\u2024alpha" })
        {
            Repository.Create(Path.Combine(_served, repository + ".fossil")).Dispose();
        }
        Repository.Create(Path.Combine(_outside, "secret.fossil")).Dispose();
        File.WriteAllBytes(Path.Combine(_served, "small.fossil"), new byte[100]);
        Directory.CreateDirectory(Path.Combine(_served, "folder.fossil"));
        // Links: one to a repository inside the folder (allowed), two leading out of it.
        File.CreateSymbolicLink(Path.Combine(_served, "inner.fossil"), "alpha.fossil");
        File.CreateSymbolicLink(Path.Combine(_served, "escape.fossil"), Path.Combine(_outside, "secret.fossil"));
        Directory.CreateSymbolicLink(Path.Combine(_served, "linked"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_served, "up"), "..");
        _folder = new FossilRepositoryFolder(_served);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("/alpha", "alpha")]
    [InlineData("/alpha/", "alpha")]
    [InlineData("/alpha/xfer", "alpha")]
    [InlineData("/alpha/any/path/at/all", "alpha")]
    [InlineData("/team/beta", "team/beta")]
    [InlineData("/team/beta/xfer", "team/beta")]
    [InlineData("/inner", "alpha")]
    public void A_path_names_the_repository_of_its_first_segments(string path, string expected)
    {
        Resolve(path).Should().Be(Path.Combine(_served, expected + ".fossil"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/missing")]
    [InlineData("/team")]
    [InlineData("/small")]
    [InlineData("/folder")]
    [InlineData("/.hidden")]
    [InlineData("/-dash")]
    [InlineData("/a..b")]
    [InlineData("/alpha.")]
    [InlineData("/ALPHA?")]
    [InlineData("/team%2Fbeta")]
    [InlineData("/team\\beta")]
    [InlineData("//team/beta")]
    [InlineData("/team//beta")]
    [InlineData("/\u2024alpha")]
    public void A_path_stock_refuses_names_no_repository(string path)
    {
        Resolve(path).Should().BeNull();
    }

    [Theory]
    [InlineData("/../outside/secret")]
    [InlineData("/team/../../outside/secret")]
    [InlineData("/escape")]
    [InlineData("/linked/secret")]
    [InlineData("/up/outside/secret")]
    public void A_path_that_leads_out_of_the_folder_names_no_repository(string path)
    {
        Resolve(path).Should().BeNull();
    }

    [Fact]
    public void An_absolute_path_is_looked_up_inside_the_folder_only()
    {
        Resolve("/" + Path.Combine(_outside, "secret")).Should().BeNull();
        Resolve(Path.Combine(_outside, "secret")).Should().BeNull();
    }

    [Theory]
    [InlineData("/team/%2e%2e/alpha")]
    [InlineData("/team/%2E%2E/alpha")]
    [InlineData("/team/../alpha")]
    [InlineData("/./alpha")]
    [InlineData("/%2e/alpha")]
    [InlineData("/alpha%2Fxfer")]
    [InlineData("/alpha%2fxfer")]
    [InlineData("/alpha%5Cxfer")]
    [InlineData("/alpha\\xfer")]
    public void A_request_target_with_dot_segments_or_encoded_separators_is_refused_even_after_the_host_normalized_it(string rawTarget)
    {
        // Kestrel decodes the target and removes dot segments before routing: "/team/%2e%2e/alpha"
        // arrives as Path "/alpha". Stock answers such a target with 404, and so do we.
        Resolve("/alpha", rawTarget).Should().BeNull();
        Resolve("/alpha", "/alpha?x=%2e%2e").Should().NotBeNull("a query string is not part of the path");
    }

    [Fact]
    public void The_repository_list_holds_what_a_request_can_reach()
    {
        _folder.RepositoryNames().Should().Equal("alpha", "inner", "team/beta");
    }

    [Fact]
    public void A_folder_that_does_not_exist_fails_at_start_up()
    {
        var act = () => new FossilRepositoryFolder(_dir.File("nope"));
        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*nope does not exist*");
    }

    private string? Resolve(string path, string? rawTarget = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = new PathString(path.Length == 0 ? null : path);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget ?? "";
        return _folder.Resolve(context);
    }
}
