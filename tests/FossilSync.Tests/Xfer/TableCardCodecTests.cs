using System.Text;
using FossilSync.Xfer;

namespace FossilSync.Tests.Xfer;

/// <summary>The table-sync cards on the wire: exact bytes both ways, shapes and limits.</summary>
public sealed class TableCardCodecTests
{
    private const string Pk = "4848a2c07bbe24923fba6bd06348fcf18bb4269b";
    private const string V = "a9993e364706816aba3e25717850c26c9cd0d89d";

    public static TheoryData<string, string> Lines => new()
    {
        { "pragma xtables", "pragma xtables 1\n" },
        { "xschema", $"xschema tasks {V} 79\n" + """{"columns":[["id","integer"]],"key":["id"],"policy":"mtime-wins","owner":false}""" + "\n" },
        { "xigot", $"xigot tasks {Pk} 1764921600000 {V}\n" },
        { "xgimme", $"xgimme tasks {Pk}\n" },
        { "xrow", $"xrow tasks {Pk} 1764921600000 29\n" + """{"id":42,"title":"two words"}""" + "\n" },
        { "xdelete", $"xdelete tasks {Pk} 1764921600001 9\n" + """{"id":42}""" + "\n" },
        { "xrefused row", $"xrefused tasks {Pk} row table\\s'tasks':\\srow\\srefused\n" },
        { "xrefused table", "xrefused tasks - incompatible key\\schanged\n" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Each_table_card_decodes_and_encodes_back_to_the_same_bytes(string kind, string wire)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(wire);
        var cards = XferMessage.Decode(bytes).Cards;
        cards.Should().ContainSingle(kind);
        cards[0].Should().NotBeOfType<UnknownCard>();
        new XferMessage(cards).Encode().Should().Equal(bytes);
    }

    [Fact]
    public void Row_json_keeps_spaces_newlines_and_every_digit_of_a_64_bit_integer()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"id\":9007199254740993,\"title\":\"two words\\nand a line\"}");
        var message = new XferMessage([new XRowCard("tasks", Pk, 1, json), new XGimmeCard("tasks", Pk), new XDeleteCard("tasks", Pk, 2, "{\"id\":1}"u8.ToArray())]);
        var back = XferMessage.Decode(message.Encode()).Cards;
        back.Should().HaveCount(3);
        ((XRowCard)back[0]).Json.ToArray().Should().Equal(json);
        back[1].Should().Be(new XGimmeCard("tasks", Pk));
        ((XDeleteCard)back[2]).MTime.Should().Be(2);
    }

    [Theory]
    [InlineData($"xigot Tasks {Pk} 1 {V}")]               // upper case
    [InlineData($"xigot 1tasks {Pk} 1 {V}")]              // starts with a digit
    [InlineData($"xigot tasks {Pk} -1 {V}")]              // negative mtime
    [InlineData($"xigot tasks {Pk} 1")]                   // too short
    [InlineData($"xigot tasks 79d24454e81c08f0216dba53b2465c45d526fbf0998c9974760c239f71c42cbd 1 {V}")]   // not a SHA1
    [InlineData("xgimme tasks")]
    [InlineData($"xrefused tasks {Pk} row")]               // no message
    [InlineData($"xrefused tasks {Pk} Row text")]          // a code is a lowercase word
    [InlineData("xgimme a_very_long_table_name_that_goes_on_past_forty_eight_chars " + Pk)]
    public void Malformed_table_cards_without_payload_are_unknown(string line)
    {
        XferMessage.Decode(Encoding.ASCII.GetBytes(line + "\n")).Cards.Single().Should().BeOfType<UnknownCard>();
    }

    [Theory]
    [InlineData("xschema tasks " + V + "\n", "xschema card is")]
    [InlineData("xschema TASKS " + V + " 2\n{}\n", "xschema card is")]
    [InlineData("xrow tasks " + Pk + " 2\n{}\n", "xrow card is")]
    [InlineData("xrow tasks " + Pk + " x 2\n{}\n", "xrow card is")]
    [InlineData("xdelete tasks nothash 1 2\n{}\n", "xdelete card is")]
    [InlineData("xrow tasks " + Pk + " 1 17000000\n", "exceeds the limit of 16777216")]
    public void Malformed_table_payload_cards_stop_the_reading(string text, string problem)
    {
        var act = () => XferMessage.Decode(Encoding.ASCII.GetBytes(text));
        act.Should().Throw<XferFormatException>().WithMessage($"*{problem}*");
    }

    [Fact]
    public void The_table_payload_limit_is_a_limit_of_its_own()
    {
        var limits = new XferLimits { MaxTableRowSize = 10 };
        var big = () => XferMessage.Decode(Encoding.ASCII.GetBytes($"xrow tasks {Pk} 1 11\n{{\"id\":1234}}\n"), limits);
        big.Should().Throw<XferFormatException>().WithMessage("*exceeds the limit of 10*");
        XferMessage.Decode(Encoding.ASCII.GetBytes($"xrow tasks {Pk} 1 10\n{{\"id\":123}}\n"), limits).Cards.Single().Should().BeOfType<XRowCard>();
    }
}
