using CsCheck;
using FossilSync.Primitives;

namespace FossilSync.Tests.Primitives;

public sealed class FastModuloTests
{
    [Theory]
    [InlineData(1u, 1)]
    [InlineData(0u, 7)]
    [InlineData(uint.MaxValue, 1)]
    [InlineData(uint.MaxValue, 3)]
    [InlineData(uint.MaxValue, int.MaxValue)]
    [InlineData(4_294_967_294u, int.MaxValue)]
    [InlineData(65_536u, 65_536)]
    [InlineData(131_072u, 65_536)]
    [InlineData(262_143u, 65_536)]
    public void Edges_give_the_remainder(uint value, int divisor) =>
        new FastModulo(divisor).Of(value).Should().Be(value % (uint)divisor);

    [Fact]
    public void Every_value_and_divisor_gives_the_remainder()
    {
        Gen.Select(Gen.UInt, Gen.Int[1, int.MaxValue])
            .Sample((value, divisor) => new FastModulo(divisor).Of(value) == value % (uint)divisor, iter: 200_000, seed: "0000000A0FM0");
    }

    [Fact]
    public void Multiples_of_the_divisor_are_zero()
    {
        Gen.Select(Gen.Int[1, 1 << 20], Gen.UInt[0, 4095])
            .Sample((divisor, times) => (ulong)divisor * times > uint.MaxValue || new FastModulo(divisor).Of((uint)(divisor * times)) == 0, iter: 100_000, seed: "0000000A0FM1");
    }
}
