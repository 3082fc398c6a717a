using FossilSync.Primitives;
using System.Text;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>Clusters, wiki pages, technotes, tickets, attachments and forum posts.</summary>
internal sealed partial class Crosslinker
{
    private void LinkCluster(long rid, Artifact p)
    {
        _tags.Insert("cluster", 1, null, rid, p.Date, rid);
        foreach (string member in p.ClusterMembers)
        {
            long memberRid = RidOf(member, create: true);
            if (memberRid > 0) _db.Execute("DELETE FROM unclustered WHERE rid=$1", memberRid);
        }
    }

    /// <summary>plink rows from a wiki page, technote or forum post to its prior versions.</summary>
    private void AddDocumentParents(long rid, Artifact p)
    {
        long primary = 0;
        for (int i = 0; i < p.Parents.Count; i++)
        {
            long pid = RidOf(p.Parents[i], create: true);
            if (i == 0) primary = pid;
            _db.Execute("INSERT OR IGNORE INTO plink(pid, cid, isprim, mtime, baseid) VALUES($1,$2,$3,$4,NULL)", pid, rid, i == 0 ? 1 : 0, _parsing.Dates.ThroughSqlText(p.Date));
        }
        if (primary != 0) _tags.PropagateAll(primary);
    }

    /// <summary>Byte length of a document's text after leading white space, as the tag value records it.</summary>
    private static int TextLength(string? text)
    {
        if (text is null) return 0;
        int start = 0;
        while (start < text.Length && text[start] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') start++;
        int nul = text.IndexOf('\0', start);
        return Encoding.UTF8.GetByteCount(text.AsSpan(start, (nul < 0 ? text.Length : nul) - start));
    }

    private void LinkWiki(long rid, Artifact p)
    {
        int length = TextLength(p.Text);
        _tags.Insert("wiki-" + p.WikiTitle, 1, length.ToString(System.Globalization.CultureInfo.InvariantCulture), rid, p.Date, rid);
        long prior = p.Parents.Count > 0 ? RidOf(p.Parents[0], create: false) : 0;
        char prefix = length <= 0 ? '-' : prior == 0 ? '+' : ':';
        _pendingWiki.Add(p.WikiTitle!);
        _db.Execute("REPLACE INTO event(type,mtime,objid,user,comment) VALUES('w',$1,$2,$3,$4)", _parsing.Dates.ThroughSqlText(p.Date), rid, p.User, prefix + p.WikiTitle);
    }

    private void LinkTechNote(long rid, Artifact p)
    {
        string tagName = "event-" + p.TechNoteId;
        long tagId = _tags.FindId(tagName, create: true);
        int length = TextLength(p.Text);
        _tags.Insert(tagName, 1, length.ToString(System.Globalization.CultureInfo.InvariantCulture), rid, p.Date, rid);
        long prior = p.Parents.Count > 0 ? RidOf(p.Parents[0], create: false) : 0;
        long subsequent = _db.Scalar<long>("SELECT rid FROM tagxref WHERE tagid=$1 AND mtime>=$2 AND rid!=$3 ORDER BY mtime", tagId, _parsing.Dates.ThroughSqlText(p.Date), rid);
        if (prior != 0 && subsequent == 0)
        {
            _db.Execute("DELETE FROM event WHERE type='e' AND tagid=$1 AND objid IN (SELECT rid FROM tagxref WHERE tagid=$1)", tagId);
        }
        if (subsequent == 0)
        {
            _db.Execute("REPLACE INTO event(type,mtime,objid,tagid,user,comment,bgcolor)"
                + " VALUES('e',$1,$2,$3,$4,$5,(SELECT value FROM tagxref WHERE tagid=1 AND rid=$2))",
                _parsing.Dates.ThroughSqlText(p.TechNoteDate), rid, tagId, p.User, p.Comment);
        }
        RetitleAttachments(p.TechNoteId!, 'e', "tech note [/technote/{0}|{1}]");
    }

    private void LinkTicket(long rid, Artifact p)
    {
        _tags.Insert("tkt-" + p.TicketId, 1, null, rid, p.Date, rid);
        _pendingTickets.Add(p.TicketId!);
        RetitleAttachments(p.TicketId!, 't', "ticket [{0}|{1}]");
    }

    /// <summary>Attachments linked before the ticket or technote they belong to: fix their events' wording and type.</summary>
    private void RetitleAttachments(string target, char eventType, string targetFormat)
    {
        string where = string.Format(System.Globalization.CultureInfo.InvariantCulture, targetFormat, UrlHash(target), Short(target));
        foreach (var row in _db.Rows("SELECT attachid, src, filename FROM attachment WHERE target=$1", target))
        {
            string? src = row[1] as string;
            string name = row[2] as string ?? "";
            string comment = !string.IsNullOrEmpty(src)
                ? $"Add attachment [/artifact/{UrlHash(src)}|{FossilText.Html(name)}] to {where}"
                : $"Delete attachment \"{FossilText.Html(name)}\" from {where}";
            // fossil binds the attachment id as text here; SQLite's affinity makes it match.
            _db.Execute("UPDATE event SET comment=$1, type=$2 WHERE objid=$3", comment, eventType.ToString(),
                Convert.ToString(row[0], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private void LinkAttachment(long rid, Artifact p)
    {
        string target = p.AttachmentTarget!;
        string name = p.AttachmentName!;
        bool isAdd = !string.IsNullOrEmpty(p.AttachmentSource);
        char type = 'w';
        if (FossilSync.Primitives.ArtifactHash.IsValid(target))
        {
            if (_db.Exists("SELECT 1 FROM tag WHERE tagname=$1", "tkt-" + target)) type = 't';
            else if (_db.Exists("SELECT 1 FROM tag WHERE tagname=$1", "event-" + target)) type = 'e';
        }
        _db.Execute("REPLACE INTO attachment(attachid, mtime, src, target, filename, comment, user) VALUES($1,$2,$3,$4,$5,$6,$7)",
            rid, _parsing.Dates.ThroughSqlText(p.Date), p.AttachmentSource, target, name, p.Comment ?? "", p.User);
        _db.Execute("UPDATE attachment SET isLatest = (mtime==(SELECT max(mtime) FROM attachment WHERE target=$1 AND filename=$2))"
            + " WHERE target=$1 AND filename=$2", target, name);
        string src = UrlHash(p.AttachmentSource);
        string html = FossilText.Html(name);
        string comment = (type, isAdd) switch
        {
            ('w', true) => $"Add attachment [/artifact/{src}|{html}] to wiki page [{FossilText.Html(target)}]",
            ('w', false) => $"Delete attachment \"{html}\" from wiki page [{FossilText.Html(target)}]",
            ('e', true) => $"Add attachment [/artifact/{src}|{html}] to tech note [/technote/{UrlHash(target)}|{Short(target)}]",
            ('e', false) => $"Delete attachment \"/artifact/{UrlHash(name)}|{html}\" from tech note [/technote/{UrlHash(target)}|{Short(target)}]",
            (_, true) => $"Add attachment [/artifact/{src}|{html}] to ticket [{UrlHash(target)}|{Short(target)}]",
            _ => $"Delete attachment \"{html}\" from ticket [{UrlHash(target)}|{Short(target)}]",
        };
        _db.Execute("REPLACE INTO event(type,mtime,objid,user,comment) VALUES($1,$2,$3,$4,$5)", type.ToString(), _parsing.Dates.ThroughSqlText(p.Date), rid, p.User, comment);
    }

    private void LinkControl(long rid, Artifact p)
    {
        string comment = ControlComment.Describe(p, UrlHash, Short);
        _db.Execute("REPLACE INTO event(type,mtime,objid,user,comment) VALUES('g',$1,$2,$3,$4)", _parsing.Dates.ThroughSqlText(p.Date), rid, p.User, comment);
    }

    private void LinkForum(long rid, Artifact p)
    {
        if (!_db.Exists("SELECT 1 FROM sqlite_schema WHERE type='table' AND name='forumpost'"))
        {
            // Created on first use, exactly as stock's schema_forum() does.
            _db.Script("""
                CREATE TABLE forumpost(
                  fpid INTEGER PRIMARY KEY,
                  froot INT,
                  fprev INT,
                  firt INT,
                  fmtime REAL
                );
                CREATE INDEX forumthread ON forumpost(froot,fmtime);
                """);
        }
        long root = p.ThreadRoot is not null ? RidOf(p.ThreadRoot, create: true) : rid;
        long previous = p.Parents.Count > 0 ? RidOf(p.Parents[0], create: true) : 0;
        long inReplyTo = p.InReplyTo is not null ? RidOf(p.InReplyTo, create: true) : 0;
        _db.Execute("REPLACE INTO forumpost(fpid,froot,fprev,firt,fmtime) VALUES($1,$2,nullif($3,0),nullif($4,0),$5)",
            rid, root, previous, inReplyTo, _parsing.Dates.ThroughSqlText(p.Date));
        if (inReplyTo == 0)
        {
            string title = string.IsNullOrEmpty(p.ThreadTitle) ? "(Deleted)" : p.ThreadTitle;
            string kind = previous != 0 ? "Edit" : "Post";
            _db.Execute("REPLACE INTO event(type,mtime,objid,user,comment) VALUES('f',$1,$2,$3,$4)", _parsing.Dates.ThroughSqlText(p.Date), rid, p.User, $"{kind}: {title}");
            if (!_db.Exists("SELECT 1 FROM forumpost WHERE froot=$1 AND firt=0 AND fpid!=$2 AND fmtime>$3", root, rid, _parsing.Dates.ThroughSqlText(p.Date)))
            {
                _db.Execute("UPDATE event SET comment=substr(comment,1,instr(comment,':')) || ' ' || $1"
                    + " WHERE objid IN (SELECT fpid FROM forumpost WHERE froot=$2)", title, root);
            }
        }
        else
        {
            string title = _db.Scalar<string>("SELECT substr(comment,instr(comment,':')+2) FROM event WHERE objid=$1", root) ?? "<i>Unknown</i>";
            string kind = string.IsNullOrEmpty(p.Text) ? "Delete reply" : previous != 0 ? "Edit reply" : "Reply";
            _db.Execute("REPLACE INTO event(type,mtime,objid,user,comment) VALUES('f',$1,$2,$3,$4)", _parsing.Dates.ThroughSqlText(p.Date), rid, p.User, $"{kind}: {title}");
        }
        if (!string.IsNullOrEmpty(p.Text)) _backlinks.FromForum(p.Text, p.MimeType, rid, p.Date);
    }

    /// <summary>Re-extracts the backlinks of the newest version of a wiki page.</summary>
    private void RefreshWikiBacklinks(string title)
    {
        long tagId = _tags.FindId("wiki-" + title, create: false);
        if (tagId == 0) return;
        long rid = _db.Scalar<long>("SELECT rid FROM tagxref WHERE tagid=$1 ORDER BY mtime DESC LIMIT 1", tagId);
        if (rid == 0 || _repository.Content.Get(rid) is not { } content) return;
        if (ArtifactParser.Parse(content, _parsing) is { Type: ArtifactType.Wiki } wiki)
        {
            _backlinks.FromWiki(wiki.Text, wiki.MimeType, tagId, wiki.Date);
        }
    }
}
