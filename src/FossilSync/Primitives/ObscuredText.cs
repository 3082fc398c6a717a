namespace FossilSync.Primitives;

/// <summary>
/// Stock fossil's <c>obscure()</c>: how it keeps a remembered sync password in the config table
/// (<c>last-sync-pw</c>) so that it does not show at a glance. Not encryption: a random salt byte,
/// then the text XOR-ed with a fixed pattern and the salt, all as hex.
/// </summary>
internal static class ObscuredText
{
    private static ReadOnlySpan<byte> Pattern => [0xa7, 0x21, 0x31, 0xe3, 0x2a, 0x50, 0x2c, 0x86, 0x4c, 0xa4, 0x52, 0x25, 0xff, 0x49, 0x35, 0x85];

    /// <summary>The obscured form of <paramref name="text"/>, with <paramref name="salt"/>.</summary>
    public static string Obscure(string text, byte salt)
    {
        byte[] plain = System.Text.Encoding.UTF8.GetBytes(text);
        byte[] output = new byte[plain.Length + 1];
        output[0] = salt;
        for (int i = 0; i < plain.Length; i++) output[i + 1] = (byte)(plain[i] ^ Pattern[i & 0x0f] ^ salt);
        return Convert.ToHexStringLower(output);
    }

    /// <summary>The text behind <paramref name="obscured"/>; text that is not hex is returned as it is, as stock does.</summary>
    public static string Unobscure(string obscured)
    {
        byte[] bytes;
        try
        {
            if (obscured.Length < 2 || obscured.Length % 2 != 0) return obscured;
            bytes = Convert.FromHexString(obscured);
        }
        catch (FormatException)
        {
            return obscured;
        }
        byte salt = bytes[0];
        var plain = new byte[bytes.Length - 1];
        for (int i = 0; i < plain.Length; i++) plain[i] = (byte)(bytes[i + 1] ^ Pattern[i & 0x0f] ^ salt);
        return System.Text.Encoding.UTF8.GetString(plain);
    }
}
