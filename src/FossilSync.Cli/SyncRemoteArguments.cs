using System.CommandLine;
using FossilSync.Http;
using FossilSync.Repo;

namespace FossilSync.Cli;

/// <summary>
/// The arguments of sync, push and pull: <c>[URL] REPO</c>. Without a URL the repository's
/// recorded remote is used (where it was cloned from, as stock's <c>fossil sync</c> with no URL),
/// with its login and remembered password unless --user/--password say otherwise.
/// </summary>
internal sealed class SyncRemoteArguments
{
    private readonly Argument<string> _first = new("URL") { Description = "the remote repository, http://, https:// or nats://HOST:PORT/PROJECT-CODE (user:password@ may be written in it); leave it out to use the remote REPO was cloned from" };
    private readonly Argument<string> _second = new("REPO") { Description = "the local repository", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string> _user = new("--user", "-u") { Description = "log in as this user (default: the user in URL, else the recorded one, else anonymous)", HelpName = "U" };
    private readonly Option<string> _password = new("--password") { Description = "password of --user (default: the password in URL, else the remembered one)", HelpName = "P" };
    private readonly Option<bool> _unversioned = new("--uv") { Description = "also sync unversioned files" };
    private readonly Option<bool> _tables = new("--tables") { Description = "also sync extension tables (see 'fossilsync table'), when the server speaks table sync" };
    private readonly Option<bool> _private = new("--private") { Description = "also sync private artifacts (needs the private capability)" };

    public SyncRemoteArguments(Command command)
    {
        command.Add(_first);
        command.Add(_second);
        command.Add(_user);
        command.Add(_password);
        command.Add(_unversioned);
        command.Add(_tables);
        command.Add(_private);
        command.Validators.Add(result =>
        {
            var (url, repository) = Split(result.GetValue(_first), result.GetValue(_second));
            string? urlError = null;
            if (url is not null) CliArguments.ParseUrl(url, out urlError);
            if (urlError is not null) result.AddError(urlError);
            else if (repository is not null && CliArguments.ExistingRepositoryError(repository) is { } repoError) result.AddError(repoError);
        });
    }

    // One positional is REPO (the URL left out); two are URL REPO.
    private static (string? Url, string? Repository) Split(string? first, string? second) =>
        second is null ? (null, first) : (first, second);

    /// <summary>The remote to use: the URL given, else the one <paramref name="repository"/> recorded.</summary>
    /// <exception cref="CommandFailedException">No URL was given and the repository records none.</exception>
    public RemoteArguments Read(ParseResult parsed, Repository repository)
    {
        var (urlText, _) = Split(parsed.GetValue(_first), parsed.GetValue(_second));
        string? user = parsed.GetValue(_user), password = parsed.GetValue(_password);
        FossilUrl url;
        if (urlText is not null)
        {
            url = CliArguments.ParseUrl(urlText, out _)!;
            user ??= url.User;
            password ??= url.User == user ? url.Password : null;
        }
        else if (repository.DefaultRemote is { } recorded)
        {
            url = new FossilUrl(recorded.Url, recorded.User, recorded.Password);
            if (user is null)
            {
                user = recorded.User;
                password ??= recorded.Password;
            }
        }
        else
        {
            throw new CommandFailedException($"{repository.Path} records no remote: give the URL (fossilsync {parsed.CommandResult.Command.Name} URL REPO)");
        }
        return new RemoteArguments(url, repository.Path, user, password, parsed.GetValue(_unversioned), parsed.GetValue(_private), parsed.GetValue(_tables));
    }

    /// <summary>REPO, whichever position it was given in.</summary>
    public string RepositoryPath(ParseResult parsed) => Split(parsed.GetValue(_first), parsed.GetValue(_second)).Repository!;
}
