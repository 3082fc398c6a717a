using System.Text;
using FossilSync.Primitives;

namespace FossilSync.Tests.Primitives;

public sealed class FossilEscapingTests
{
    [Theory]
    [InlineData("login failed", "login\\sfailed")]
    [InlineData("pull only - not authorized to push", "pull\\sonly\\s-\\snot\\sauthorized\\sto\\spush")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("tab\there\nnl\rcr\vvt\fff\0nul", "tab\\there\\nnl\\rcr\\vvt\\fff\\0nul")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Encodes_and_decodes_as_stock_fossil(string text, string token)
    {
        FossilEscaping.Encode(text).Should().Be(token);
        FossilEscaping.Decode(token).Should().Be(text);
        FossilEscaping.Encode(Encoding.Latin1.GetBytes(text)).Should().Equal(Encoding.Latin1.GetBytes(token));
        FossilEscaping.Decode(Encoding.Latin1.GetBytes(token)).Should().Equal(Encoding.Latin1.GetBytes(text));
    }

    [Theory]
    [InlineData("\\x", "x")]
    [InlineData("end\\", "end\\")]
    public void Decodes_unknown_escapes_and_a_trailing_backslash_as_stock_does(string token, string text) =>
        FossilEscaping.Decode(token).Should().Be(text);

    [Fact]
    public void Random_text_round_trips_and_never_contains_whitespace_once_encoded()
    {
        var random = new Random(3);
        const string alphabet = " \t\n\r\v\f\0\\abc-ü";
        for (int i = 0; i < 500; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (int j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            string text = new(chars);
            string token = FossilEscaping.Encode(text);
            token.Should().NotContainAny(" ", "\t", "\n", "\r", "\v", "\f", "\0");
            FossilEscaping.Decode(token).Should().Be(text);
        }
    }
}
