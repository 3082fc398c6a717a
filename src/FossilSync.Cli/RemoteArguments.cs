using FossilSync.Http;

namespace FossilSync.Cli;

/// <summary>The arguments every remote command takes: URL, REPO, optional --user/--password (else user:pass@ in the URL), --uv and --private.</summary>
internal sealed record RemoteArguments(FossilUrl Url, string Repository, string? User, string? Password, bool Unversioned, bool Private)
{
    public static RemoteArguments? Parse(string[] args)
    {
        var positional = new List<string>();
        string? user = null, password = null;
        bool unversioned = false, isPrivate = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--user" when i + 1 < args.Length: user = args[++i]; break;
                case "--password" when i + 1 < args.Length: password = args[++i]; break;
                case "--uv": unversioned = true; break;
                case "--private": isPrivate = true; break;
                default: positional.Add(args[i]); break;
            }
        }
        if (positional.Count != 2) return null;
        var url = FossilUrl.Parse(positional[0]);
        return new RemoteArguments(url, positional[1], user ?? url.User, password ?? url.Password, unversioned, isPrivate);
    }
}
