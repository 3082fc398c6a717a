namespace FossilSync.Cli;

internal static class Usage
{
    public const string Text = """
        usage: fossilsync COMMAND [ARGS]

        commands:
          demo [REPO]     serve a repository (REPO or a new one) and clone it over HTTP, then verify
          new REPO        create an empty repository that stock fossil can open
          verify REPO     expand and re-hash every artifact; exit 1 naming any bad one
          rebuild REPO    re-derive timeline, tags, leaves... from the artifacts (as fossil rebuild)
          serve REPO      serve a repository over HTTP to stock fossil clients [--port N --host H]
          clone URL REPO  clone a remote repository [--user U --password P, or user:pass@ in URL]; built in
                          REPO.fossilsync-partial until whole: run again to continue an interrupted
                          clone (--resume: only continue, --no-resume: start over)
          sync URL REPO   push and pull (push / pull: one direction), same options; --uv unversioned files, --private private artifacts
        """;

    public static async Task<int> FailAsync(TextWriter stderr, string synopsis)
    {
        await stderr.WriteLineAsync($"usage: fossilsync {synopsis}");
        return 2;
    }
}
