namespace FossilSync.Repo.Crosslink;

/// <summary>The tag ids every repository predefines (rows 1–11 of <c>tag</c>).</summary>
internal static class TagIds
{
    public const long BgColor = 1;
    public const long Comment = 2;
    public const long User = 3;
    public const long Date = 4;
    public const long Hidden = 5;
    public const long Private = 6;
    public const long Cluster = 7;
    public const long Branch = 8;
    public const long Closed = 9;
    public const long Parent = 10;
    public const long Note = 11;
}
