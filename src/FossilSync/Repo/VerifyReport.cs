namespace FossilSync.Repo;

/// <summary>One artifact that failed verification, and why.</summary>
public sealed record VerifyProblem(long Rid, string Hash, string Reason);

/// <summary>What <see cref="Repository.Verify"/> checked and found.</summary>
/// <param name="Verified">Artifacts expanded, re-hashed and found correct.</param>
/// <param name="Skipped">Artifacts that could not be expanded because their delta chain reaches a phantom or loops; each is also among <paramref name="Problems"/>, as <c>fossil test-integrity</c> counts them as errors.</param>
/// <param name="Problems">Every artifact that failed.</param>
public sealed record VerifyReport(int Verified, int Skipped, IReadOnlyList<VerifyProblem> Problems)
{
    /// <summary>True when nothing failed.</summary>
    public bool IsOk => Problems.Count == 0;
}
