using FossilSync.Repo;

namespace FossilSync.Tests.Repo;

public sealed class NameKeyTests
{
    private const string Sha3 = "00b6d4974a43132e707af6bdcb4a915daa49d81e0435f2496030fd2e8565ea48";
    private const string Sha1 = "82641e65f06d09a0611a5cadfc60131fc27018f6";

    [Fact]
    public void Equal_names_give_equal_keys_and_different_names_different_keys()
    {
        Key(Sha3).Should().Be(Key(new string(Sha3.ToCharArray())));
        Key(Sha3).Should().NotBe(Key(Sha3[..63] + "9"));
        Key(Sha3).Should().NotBe(Key(Sha3[..8] + "f" + Sha3[9..]));
        // A SHA1 name and the SHA3 name that starts with its digits and ends in zeros differ.
        Key(Sha1).Should().NotBe(Key(Sha1 + new string('0', 24)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("82641E65F06D09A0611A5CADFC60131FC27018F6")]
    [InlineData("82641e65f06d09a0611a5cadfc60131fc27018f")]
    [InlineData("82641e65f06d09a0611a5cadfc60131fc27018g6")]
    public void Malformed_names_have_no_key(string name) => NameKey.TryCreate(name, out _).Should().BeFalse();

    private static NameKey Key(string name)
    {
        NameKey.TryCreate(name, out var key).Should().BeTrue();
        return key;
    }
}
