using FossilSync.Repo.Artifacts;

namespace FossilSync.Fuzz;

/// <summary>Checks that two parses of the same text produced the same artifact.</summary>
internal static class ArtifactComparer
{
    public static void Check(Artifact a, Artifact b)
    {
        Same(a.Type, b.Type, "type");
        Same(a.Comment, b.Comment, "comment");
        Same(a.User, b.User, "user");
        Same(a.Baseline, b.Baseline, "baseline");
        Same(a.Date, b.Date, "date");
        Same(a.Text, b.Text, "text");
        Same(a.WikiTitle, b.WikiTitle, "wiki title");
        Same(a.TicketId, b.TicketId, "ticket id");
        Same(a.AttachmentTarget, b.AttachmentTarget, "attachment target");
        Same(a.TechNoteId, b.TechNoteId, "technote id");
        Same(a.ThreadTitle, b.ThreadTitle, "thread title");
        Same(a.MimeType, b.MimeType, "mimetype");
        Same(a.RepositoryChecksum, b.RepositoryChecksum, "R card");
        Sequence(a.Files, b.Files, "F cards");
        Sequence(a.Parents, b.Parents, "P card");
        Sequence(a.ClusterMembers, b.ClusterMembers, "M cards");
        Sequence(a.Tags, b.Tags, "T cards");
        Sequence(a.Fields, b.Fields, "J cards");
        Sequence(a.CherryPicks, b.CherryPicks, "Q cards");
    }

    private static void Same<T>(T a, T b, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(a, b)) throw new InvariantViolationException($"two parses of one text disagree on the {what}: {a} / {b}");
    }

    private static void Sequence<T>(List<T> a, List<T> b, string what)
    {
        if (!a.SequenceEqual(b)) throw new InvariantViolationException($"two parses of one text disagree on the {what}");
    }
}
