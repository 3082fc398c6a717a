using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using FossilSync.Http;

namespace FossilSync.Cli;

/// <summary>
/// The arguments and options several commands share, each checked while the command line is
/// parsed, so a bad one is a usage error (exit 2) before anything is created, served or sent.
/// </summary>
internal static class CliArguments
{
    /// <summary>REPO of a command that opens a repository: the file must exist.</summary>
    public static Argument<string> ExistingRepository(string description)
    {
        var argument = new Argument<string>("REPO") { Description = description };
        argument.Validators.Add(result =>
        {
            string? path = result.GetValueOrDefault<string?>();
            if (path is not null && ExistingRepositoryError(path) is { } error) result.AddError(error);
        });
        return argument;
    }

    /// <summary>REPO of a command that creates a repository: its folder must exist; <paramref name="mustNotExist"/> refuses an existing file.</summary>
    public static Argument<string> NewRepository(string description, bool mustNotExist)
    {
        var argument = new Argument<string>("REPO") { Description = description };
        argument.Validators.Add(result =>
        {
            string path = result.GetValueOrDefault<string>();
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
            if (Directory.Exists(path)) result.AddError($"'{path}' is a directory, not a repository file");
            else if (!Directory.Exists(folder)) result.AddError($"directory '{folder}' does not exist (create it first)");
            else if (mustNotExist && File.Exists(path)) result.AddError($"'{path}' already exists");
        });
        return argument;
    }

    /// <summary>URL of a remote repository: absolute, http, https or nats; user:password@ may be written in it.</summary>
    public static Argument<FossilUrl> Url() => new("URL")
    {
        Description = "the remote repository, http://, https:// or nats://HOST:PORT/PROJECT-CODE (user:password@ may be written in it)",
        CustomParser = ParseUrl,
    };

    /// <summary>--port N: an integer from 1 to 65535.</summary>
    public static Option<int> Port(int defaultPort) => new("--port", "-p")
    {
        Description = "TCP port to listen on (1-65535)",
        HelpName = "N",
        DefaultValueFactory = _ => defaultPort,
        CustomParser = ParsePort,
    };

    private static FossilUrl ParseUrl(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var url = ParseUrl(text, out string? error);
        if (error is not null) result.AddError(error);
        return url!;
    }

    /// <summary>Reads a remote's URL (http, https, nats); null and the one-line reason when it is not one.</summary>
    public static FossilUrl? ParseUrl(string text, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !text.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{text}' is not a URL; expected http://HOST[:PORT][/PATH] or https://...";
            return null;
        }
        if (uri.Scheme == NatsRemote.Scheme)
        {
            if (NatsRemote.Parse(uri) is { } nats) return nats;
            error = $"'{text}' names no project: expected nats://[USER:PASSWORD@]HOST:PORT/PROJECT-CODE";
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            error = $"unsupported URL scheme '{uri.Scheme}' in '{text}': only http://, https:// and nats:// are supported";
            return null;
        }
        if (FossilUrl.TryParse(text, out var parsed)) return parsed;
        error = $"'{text}' is not an http:// or https:// URL.";
        return null;
    }

    /// <summary>The one-line reason <paramref name="path"/> cannot be opened as a repository, or null.</summary>
    public static string? ExistingRepositoryError(string path) =>
        Directory.Exists(path) ? $"'{path}' is a directory, not a repository file"
        : !File.Exists(path) ? $"repository '{path}' does not exist"
        : null;

    private static int ParsePort(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535) return port;
        result.AddError($"--port must be an integer from 1 to 65535, not '{text}'");
        return 0;
    }
}
