using FossilSync.Fuzz;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Fuzz;

/// <summary>
/// Runs each fuzz target of tests/FossilSync.Fuzz over its seeds and a fixed-seed batch of
/// mutations, so CI exercises the harness and its invariants (the long coverage-guided runs
/// are tests/FossilSync.Fuzz/fuzz.sh).
/// </summary>
public sealed class FuzzHarnessSmokeTests
{
    [Theory]
    [InlineData(FuzzTargets.CardCodec, 1500)]
    [InlineData(FuzzTargets.Delta, 4000)]
    [InlineData(FuzzTargets.Artifact, 4000)]
    public void Seeded_mutations_break_no_invariant(string target, int executions)
    {
        // Known findings are in code owned elsewhere (see tests/FossilSync.Fuzz/README.md).
        var run = MutationRun.Execute(target, TestCaptures.CapturesDirectory, executions, TimeSpan.FromSeconds(60), seed: 1);

        run.Failure.Should().BeNull(
            "input {0} must not fail", run.FailingInput is null ? "" : Convert.ToHexString(run.FailingInput));
        run.Executions.Should().Be(executions);
    }
}
