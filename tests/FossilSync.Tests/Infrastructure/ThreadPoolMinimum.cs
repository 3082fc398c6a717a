using System.Runtime.CompilerServices;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// Raises the thread pool's minimum for the test run. Test classes run in parallel and many
/// block on stock fossil processes or on servers of their own; on two cores the pool then adds
/// a thread about once a second, and a test that times a peer's silence (the transport's idle
/// timeout) saw seconds of delay that no peer caused.
/// </summary>
internal static class ThreadPoolMinimum
{
    private const int Threads = 32;

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A test assembly sets up its own process.")]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Threads), Math.Max(completionPorts, Threads));
    }
}
