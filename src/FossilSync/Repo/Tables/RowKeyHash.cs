using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FossilSync.Repo.Tables;

/// <summary>
/// The primary-key hash that names a row on the wire: the same on every peer and in every run,
/// whatever language the peer is written in. This is the one place the rule lives.
/// </summary>
/// <remarks>
/// SHA1 (lowercase hex) over, for each key column in the declared key order, the bytes
/// <c>TAG ":" LEN ":" VALUE "\n"</c>, where LEN is the decimal byte length of VALUE and
/// <list type="bullet">
/// <item>integer: TAG <c>i</c>, VALUE the decimal digits with a leading <c>-</c> when negative (no <c>+</c>, no leading zeros);</item>
/// <item>real: TAG <c>r</c>, VALUE the 16 lowercase hex digits of the IEEE-754 bits, most significant first, -0.0 taken as 0.0 (SQLite holds them equal);</item>
/// <item>text: TAG <c>t</c>, VALUE the UTF-8 bytes as given (no Unicode normalisation: SQLite compares bytes);</item>
/// <item>blob: TAG <c>b</c>, VALUE the raw bytes.</item>
/// </list>
/// So an integer key 42 hashes <c>i:2:42\n</c>. The type is part of the bytes: an integer 1 and a text "1" never share a name.
/// </remarks>
internal static class RowKeyHash
{
    public static string Compute(TableDefinition definition, IReadOnlyList<object?> values)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        foreach (string key in definition.Key)
        {
            int index = RowCodec.IndexOf(definition, key);
            var (tag, bytes) = Normalize(definition.Columns[index], values[index]);
            sha1.AppendData(Encoding.ASCII.GetBytes($"{tag}:{bytes.Length.ToString(CultureInfo.InvariantCulture)}:"));
            sha1.AppendData(bytes);
            sha1.AppendData("\n"u8);
        }
        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }

    private static (char Tag, byte[] Bytes) Normalize(TableColumn column, object? value) => (column.Type, value) switch
    {
        (ColumnType.Integer, long n) => ('i', Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture))),
        (ColumnType.Real, double d) => ('r', Encoding.ASCII.GetBytes(BitConverter.DoubleToInt64Bits(d == 0 ? 0.0 : d).ToString("x16", CultureInfo.InvariantCulture))),
        (ColumnType.Text, string s) => ('t', Encoding.UTF8.GetBytes(s)),
        (ColumnType.Blob, byte[] b) => ('b', b),
        _ => throw new TableRowException($"key column '{column.Name}' needs a {TableDefinition.TypeName(column.Type)} value."),
    };
}
