namespace FossilSync.EndToEnd.Scenarios;

/// <summary>Which implementation a run measures.</summary>
internal enum Side
{
    Ours,
    Stock,
}

/// <summary>
/// One comparison: a name, what each side runs, and how to plan one run of either side.
/// </summary>
internal sealed record Scenario(string Name, string OursDoes, string StockDoes, Func<Side, RunPlan> Plan);

/// <summary>
/// How one run goes: the server to start (a command with <c>{port}</c> and <c>{repo}</c>
/// placeholders, or none) on a fresh copy of <see cref="ServerRepository"/>, a fresh copy of
/// <see cref="ClientRepository"/> (or none, for a clone), the timed client command, and the
/// check that its result is usable (run after the server stopped, outside the timing; null
/// when all is well, else what is wrong). <see cref="Inspect"/>, when set, also runs after the
/// server stopped, even when the client failed, since what the server kept matters most then:
/// its description goes with the result and its failure, if any, fails the run.
/// <see cref="Clients"/> above one starts that many client commands at the same moment, each
/// with a client repository and home folder of its own (as many users cloning from one server);
/// their check runs on each, and the run fails if any of them fails.
/// </summary>
internal sealed record RunPlan(
    IReadOnlyList<string>? ServerCommand,
    string? ServerRepository,
    string? ClientRepository,
    Func<RunContext, IReadOnlyList<string>> ClientCommand,
    Func<RunContext, string, string?> Check,
    Func<RunContext, Inspection>? Inspect = null,
    int Clients = 1);

/// <summary>What an inspection after a run found: a description, and what is wrong (null if nothing).</summary>
internal sealed record Inspection(string Description, string? Failure);

/// <summary>
/// Where one run happens: the URL of the proxy in front of the server (anonymous, and with the
/// admin's credentials), and the paths of the fresh client and server repositories.
/// </summary>
internal sealed record RunContext(string Url, string AdminUrl, string ClientPath, string ServerPath, string Folder);
