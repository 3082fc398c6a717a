using FossilSync.Interop;

namespace FossilSync.Tests.Interop;

public sealed class LibCTests
{
    [Fact]
    public void Freed_memory_is_handed_back_through_glibc_on_linux()
    {
        // This suite runs on glibc Linux: a wrong library or entry point name would make the call
        // quietly do nothing (the clone's peak memory would grow by the page cache it gives back).
        LibC.TryReturnFreedMemory().Should().Be(OperatingSystem.IsLinux());
    }
}
