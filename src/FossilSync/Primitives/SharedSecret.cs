using System.Security.Cryptography;
using System.Text;

namespace FossilSync.Primitives;

/// <summary>
/// Fossil's password secret: SHA1 of <c>project-code/login/password</c> as lowercase hex. Stock
/// stores it in <c>user.pw</c> instead of the password, and a client signs its login with it.
/// </summary>
internal static class SharedSecret
{
    /// <summary>
    /// The secret of <paramref name="password"/>. A password that is already 40 lowercase hex
    /// digits is taken to be the secret itself, as stock fossil does.
    /// </summary>
    public static string Of(string projectCode, string login, string password) =>
        IsSecret(password) ? password : Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{projectCode}/{login}/{password}")));

    /// <summary>True when <paramref name="text"/> has the form of a secret (40 lowercase hex digits).</summary>
    public static bool IsSecret(string text) => text.Length == ArtifactHash.Sha1Length && ArtifactHash.IsValid(text);
}
