using System.CommandLine;
using FossilSync.Http;

namespace FossilSync.Cli;

/// <summary>The arguments every remote command takes: URL, REPO, optional --user/--password (else user:pass@ in the URL), --uv, --tables and --private.</summary>
internal sealed record RemoteArguments(FossilUrl Url, string Repository, string? User, string? Password, bool Unversioned, bool Private, bool Tables)
{
    /// <summary>The command-line symbols of one remote command; <see cref="Read"/> gathers their values.</summary>
    internal sealed class Symbols
    {
        private readonly Argument<FossilUrl> _url = CliArguments.Url();
        private readonly Argument<string> _repository;
        private readonly Option<string> _user = new("--user", "-u") { Description = "log in as this user (default: the user in URL, else anonymous)", HelpName = "U" };
        private readonly Option<string> _password = new("--password") { Description = "password of --user (default: the password in URL)", HelpName = "P" };
        private readonly Option<bool> _unversioned = new("--uv") { Description = "also sync unversioned files" };
        private readonly Option<bool> _tables = new("--tables") { Description = "also sync extension tables (see 'fossilsync table'), when the server speaks table sync" };
        private readonly Option<bool>? _private;

        /// <param name="command">The command the symbols are added to.</param>
        /// <param name="repository">REPO, which the command either opens or creates.</param>
        /// <param name="withPrivate">Whether the command takes --private.</param>
        public Symbols(Command command, Argument<string> repository, bool withPrivate)
        {
            _repository = repository;
            if (withPrivate) _private = new Option<bool>("--private") { Description = "also sync private artifacts (needs the private capability)" };
            command.Add(_url);
            command.Add(_repository);
            command.Add(_user);
            command.Add(_password);
            command.Add(_unversioned);
            command.Add(_tables);
            if (_private is not null) command.Add(_private);
        }

        public RemoteArguments Read(ParseResult parsed)
        {
            var url = parsed.GetRequiredValue(_url);
            return new RemoteArguments(
                url,
                parsed.GetRequiredValue(_repository),
                parsed.GetValue(_user) ?? url.User,
                parsed.GetValue(_password) ?? url.Password,
                parsed.GetValue(_unversioned),
                _private is not null && parsed.GetValue(_private),
                parsed.GetValue(_tables));
        }
    }
}
