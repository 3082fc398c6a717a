using FossilSync.Xfer;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// A hand-made sync request as a stock client would send it: the cards given, then a random
/// comment (stock's way of making each login nonce unique), and when signed the login line in
/// front, made by the library's own <see cref="XferLogin.EncodeSigned"/>. The login line and
/// the rest are kept apart so that a test can tamper with either.
/// </summary>
public sealed class CraftedRequest
{
    /// <summary>What stock 2.21 sends first: without it a stock server refuses SHA3 artifacts.</summary>
    public static readonly PragmaCard ClientVersion = new("client-version", "22100", "20230226", "192424");

    private CraftedRequest(byte[] loginLine, byte[] rest)
    {
        LoginLine = loginLine;
        Rest = rest;
    }

    /// <summary>The login line with its newline; empty for an unsigned request.</summary>
    public byte[] LoginLine { get; }

    /// <summary>Every byte after the login line: what the nonce covers.</summary>
    public byte[] Rest { get; }

    /// <summary>The whole plain request body.</summary>
    public byte[] Bytes => [.. LoginLine, .. Rest];

    /// <summary>A request without a login card (only <c>nobody</c>'s and <c>anonymous</c>'s rights).</summary>
    public static CraftedRequest Unsigned(params XferCard[] cards) => new([], XferLogin.EncodeSigned(Unique(cards), null, null, ""));

    /// <summary>A request signed by <paramref name="user"/> with <paramref name="password"/> for the project <paramref name="projectCode"/>.</summary>
    public static CraftedRequest Signed(string user, string password, string projectCode, params XferCard[] cards)
    {
        byte[] whole = XferLogin.EncodeSigned(Unique(cards), user, password, projectCode);
        int lineEnd = Array.IndexOf(whole, (byte)'\n') + 1;
        return new CraftedRequest(whole[..lineEnd], whole[lineEnd..]);
    }

    /// <summary>
    /// A request whose body after the login line is <paramref name="rest"/> as given (for cards
    /// the library would write otherwise), signed as <see cref="XferLogin.EncodeSigned"/> signs.
    /// </summary>
    public static CraftedRequest Signed(string user, string password, string projectCode, byte[] rest)
    {
        byte[] body = [.. rest, .. Encode(Unique([]))];
        string nonce = XferLogin.Nonce(body);
        var login = new LoginCard(user, nonce, XferLogin.Sign(nonce, XferLogin.Secret(projectCode, user, password)));
        return new CraftedRequest(Encode(login), body);
    }

    /// <summary>Plain bytes of <paramref name="cards"/>, for splicing into a request.</summary>
    public static byte[] Encode(params XferCard[] cards) => new XferMessage(cards).Encode();

    private static XferCard[] Unique(XferCard[] cards) => [.. cards, new CommentCard(" " + Guid.NewGuid().ToString("N").ToUpperInvariant())];
}
