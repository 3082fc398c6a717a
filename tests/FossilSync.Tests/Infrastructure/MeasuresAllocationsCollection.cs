namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// Tests that measure the process's allocations with <see cref="GC.GetTotalAllocatedBytes"/>:
/// they run alone, after the parallel tests, so no other test's allocations are counted.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresAllocationsCollection
{
    public const string Name = "Measures allocations";
}
