using System.Text;

namespace FossilSync.Primitives;

/// <summary>
/// Fossil's token escaping ("fossilize"): free text inside a card or artifact line has its
/// whitespace, NUL and backslash written as two-character escapes, so a token never contains
/// a separator. Used for login names, error and message texts, and artifact C/F/T/U… values.
/// </summary>
public static class FossilEscaping
{
    /// <summary>Escapes text for use as one token.</summary>
    public static string Encode(string text)
    {
        int i = IndexOfSpecial(text);
        if (i < 0) return text;
        var sb = new StringBuilder(text.Length + 8);
        sb.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            char c = text[i];
            string? escape = EscapeOf(c);
            if (escape is null) sb.Append(c); else sb.Append(escape);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Reverses <see cref="Encode(string)"/>. As in stock fossil, a backslash before any other
    /// character yields that character and a lone trailing backslash is kept.
    /// </summary>
    public static string Decode(string token)
    {
        int i = token.IndexOf('\\');
        if (i < 0) return token;
        var sb = new StringBuilder(token.Length);
        sb.Append(token, 0, i);
        for (; i < token.Length; i++)
        {
            char c = token[i];
            if (c != '\\' || i + 1 == token.Length)
            {
                sb.Append(c);
                continue;
            }
            char next = token[++i];
            sb.Append(next switch
            {
                's' => ' ',
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'v' => '\v',
                'f' => '\f',
                '0' => '\0',
                _ => next,
            });
        }
        return sb.ToString();
    }

    /// <summary>Escapes raw bytes (for tokens that need not be valid UTF-8).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> raw)
    {
        var output = new List<byte>(raw.Length + 8);
        foreach (byte b in raw)
        {
            string? escape = EscapeOf((char)b);
            if (escape is null) output.Add(b);
            else { output.Add((byte)escape[0]); output.Add((byte)escape[1]); }
        }
        return output.ToArray();
    }

    /// <summary>Reverses the byte form of <see cref="Encode(ReadOnlySpan{byte})"/>.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> token) =>
        token.IndexOf((byte)'\\') < 0
            ? token.ToArray()
            : Encoding.Latin1.GetBytes(Decode(Encoding.Latin1.GetString(token)));

    private static int IndexOfSpecial(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (EscapeOf(text[i]) is not null) return i;
        }
        return -1;
    }

    private static string? EscapeOf(char c) => c switch
    {
        ' ' => "\\s",
        '\n' => "\\n",
        '\t' => "\\t",
        '\r' => "\\r",
        '\v' => "\\v",
        '\f' => "\\f",
        '\0' => "\\0",
        '\\' => "\\\\",
        _ => null,
    };
}
