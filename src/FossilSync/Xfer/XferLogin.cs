using System.Security.Cryptography;
using System.Text;
using FossilSync.Primitives;

namespace FossilSync.Xfer;

/// <summary>
/// The login card's arithmetic. The nonce is the SHA1 of every byte after the login line as
/// sent; the secret is SHA1(project-code/login/password); the signature is SHA1(nonce + secret),
/// all as lowercase hex.
/// </summary>
public static class XferLogin
{
    /// <summary>The nonce for a message whose bytes after the login line are <paramref name="rest"/>.</summary>
    public static string Nonce(ReadOnlySpan<byte> rest) => Convert.ToHexStringLower(SHA1.HashData(rest));

    /// <summary>
    /// The shared secret. A password that is already 40 lowercase hex digits is taken to be
    /// the secret itself, as stock fossil does.
    /// </summary>
    public static string Secret(string projectCode, string login, string password) => SharedSecret.Of(projectCode, login, password);

    /// <summary>The signature of <paramref name="nonce"/> under <paramref name="secret"/>.</summary>
    public static string Sign(string nonce, string secret) => Sha1Hex(nonce + secret);

    /// <summary>
    /// Server side: true when <paramref name="signature"/> proves knowledge of the user's
    /// password. <paramref name="storedPassword"/> is the <c>user.pw</c> column, either the
    /// 40-hex secret or (as <c>fossil new</c> stores it) the cleartext password.
    /// </summary>
    public static bool Verify(string nonce, string signature, string projectCode, string login, string storedPassword)
    {
        if (string.IsNullOrEmpty(storedPassword)) return false;
        if (FixedEquals(Sign(nonce, storedPassword), signature)) return true;
        return !SharedSecret.IsSecret(storedPassword) && FixedEquals(Sign(nonce, Secret(projectCode, login, storedPassword)), signature);
    }

    /// <summary>
    /// Encodes <paramref name="cards"/> and, when <paramref name="login"/> is given, prepends the
    /// login card that signs them: the wire form of a client request (before compression).
    /// </summary>
    public static byte[] EncodeSigned(IEnumerable<XferCard> cards, string? login, string? password, string projectCode)
    {
        var rest = new MemoryStream();
        foreach (var card in cards) XferWriter.Write(rest, card);
        if (string.IsNullOrEmpty(login)) return rest.ToArray();
        byte[] body = rest.ToArray();
        string nonce = Nonce(body);
        var card0 = new LoginCard(login, nonce, Sign(nonce, Secret(projectCode, login, password ?? "")));
        var message = new MemoryStream(body.Length + 128);
        XferWriter.Write(message, card0);
        message.Write(body);
        return message.ToArray();
    }

    private static string Sha1Hex(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
