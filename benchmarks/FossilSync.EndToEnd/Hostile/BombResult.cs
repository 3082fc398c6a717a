using FossilSync.EndToEnd.Scenarios;

namespace FossilSync.EndToEnd.Hostile;

/// <summary>
/// One bomb against one server: the reply, and the peak resident memory above the server's idle
/// resident memory in KiB (null when it could not be read, with <see cref="PeakNote"/> saying why).
/// </summary>
internal sealed record BombResult(RequestBomb Bomb, Side Side, long WireBytes, BombReply Reply, long? PeakOverIdleKb, string? PeakNote)
{
    public const long BudgetKb = 64 * 1024;

    /// <summary>A refused request that cost more than the budget: the goal of the hardening issue is missed.</summary>
    public bool OverBudget => Reply.Refused && PeakOverIdleKb > BudgetKb;
}
