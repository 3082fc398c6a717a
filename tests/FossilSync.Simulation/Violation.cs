namespace FossilSync.Simulation;

/// <summary>An invariant that did not hold: where, and how to run that seed again.</summary>
public sealed record Violation(int Seed, int Step, string Invariant, string Detail, string Options)
{
    public string ReplayCommand => $"dotnet run -c Release --project tests/FossilSync.Simulation -- --seed {Seed}{Options}";

    public override string ToString() => $"VIOLATION seed {Seed} step {Step} [{Invariant}] {Detail}\n  replay: {ReplayCommand}";
}

/// <summary>What one seed did.</summary>
public sealed record RunResult(int Seed, string Trace, IReadOnlyList<Violation> Violations, int Steps, int Messages, IReadOnlyDictionary<string, int> Fired, IReadOnlyDictionary<string, int> Reached);
