namespace FossilSync.Fuzz;

/// <summary>
/// A fuzz input broke one of the harness's invariants (over-allocation, a round trip that
/// changes the cards, two parses that disagree). Never caught by the targets, so libFuzzer and
/// the mutation runs report it as a crash like any undocumented exception.
/// </summary>
public sealed class InvariantViolationException(string message) : Exception(message);
