using System.Security.Cryptography;
using System.Text;

namespace FossilSync.Tests.Infrastructure;

/// <summary>Control artifacts written by hand in tests, closed with the Z card fossil requires.</summary>
public static class ZCard
{
    /// <summary><paramref name="body"/> followed by its Z card (the MD5 of the UTF-8 body).</summary>
    public static string Append(string body) =>
        body + "Z " + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body))) + "\n";
}
