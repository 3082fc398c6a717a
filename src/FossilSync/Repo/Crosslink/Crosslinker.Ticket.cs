using FossilSync.Primitives;
using System.Text;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Tickets: the <c>ticket</c> row and <c>ticketchng</c> rows of a ticket are rebuilt from all its
/// changes in time order (fossil's <c>ticket_rebuild_entry</c>), each change getting its
/// <c>t</c> event. Field columns are whatever the repository's ticket schema defines.
/// Not modelled: "baseline for" columns, generated mimetype columns, backlinks from ticket fields.
/// </summary>
internal sealed partial class Crosslinker
{
    private (List<string> Ticket, List<string> Change)? _ticketColumns;

    private void RebuildTicket(string ticketId)
    {
        long tagId = _tags.FindId("tkt-" + ticketId, create: true);
        _ticketColumns ??= (Columns("ticket"), Columns("ticketchng"));
        var (ticketColumns, changeColumns) = _ticketColumns.Value;
        if (ticketColumns.Count == 0) return;
        long ticketRid = _db.Scalar<long>("SELECT tkt_id FROM ticket WHERE tkt_uuid=$1", ticketId);
        if (changeColumns.Count > 0) _db.Execute("DELETE FROM ticketchng WHERE tkt_id=$1", ticketRid);
        _db.Execute("DELETE FROM ticket WHERE tkt_id=$1", ticketRid);
        ticketRid = 0;
        bool isNew = true;
        foreach (long rid in _db.Rids("SELECT rid FROM tagxref WHERE tagid=$1 ORDER BY mtime", tagId))
        {
            byte[]? content = _repository.Content.Get(rid);
            if (content is not null && ArtifactParser.Parse(content, _parsing) is { Type: ArtifactType.Ticket } change)
            {
                ticketRid = ApplyTicketChange(change, rid, ticketRid, ticketColumns, changeColumns);
                AddTicketEvent(rid, change, isNew, tagId);
            }
            isNew = false;
        }
    }

    private List<string> Columns(string table) =>
        _db.Rows($"SELECT name FROM pragma_table_info('{table}')").Select(r => (string)r[0]!).ToList();

    private long ApplyTicketChange(Artifact p, long rid, long ticketRid, List<string> ticketColumns, List<string> changeColumns)
    {
        if (ticketRid == 0) ticketRid = _db.Scalar<long>("INSERT INTO ticket(tkt_uuid, tkt_mtime) VALUES($1, 0) RETURNING tkt_id", p.TicketId);
        var fields = ticketColumns.Where(c => !c.StartsWith("tkt_", StringComparison.Ordinal)).ToList();
        var changeFields = changeColumns.Where(c => !c.StartsWith("tkt_", StringComparison.Ordinal)).ToList();
        var args = new List<object?> { p.Date };
        var set = new StringBuilder("UPDATE OR REPLACE ticket SET tkt_mtime=$1");
        if (ticketColumns.Contains("tkt_ctime")) set.Append(", tkt_ctime=coalesce(tkt_ctime,$1)");
        var changeNames = new StringBuilder();
        var changeValues = new StringBuilder();
        var changeArgs = new List<object?> { p.Date };
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in p.Fields)
        {
            bool append = field.Name.StartsWith('+');
            string name = append ? field.Name[1..] : field.Name;
            bool inTicket = fields.Contains(name);
            bool inChange = changeFields.Contains(name);
            if (!inTicket && !inChange) continue;
            used.Add(name);
            if (inTicket)
            {
                args.Add(field.Value);
                set.Append(append ? $", \"{name}\"=coalesce(\"{name}\",'') || ${args.Count}" : $", \"{name}\"=${args.Count}");
            }
            if (inChange)
            {
                changeArgs.Add(field.Value);
                changeNames.Append($",\"{name}\"");
                changeValues.Append($",${changeArgs.Count}");
            }
        }
        args.Add(ticketRid);
        set.Append($" WHERE tkt_id=${args.Count}");
        _db.Execute(set.ToString(), args.ToArray());

        bool hasRid = changeColumns.Contains("tkt_rid");
        bool hasUser = changeColumns.Contains("tkt_user");
        if (changeNames.Length == 0 && !hasRid && !hasUser) return ticketRid;
        if (hasRid)
        {
            changeArgs.Add(rid);
            changeNames.Append(",tkt_rid");
            changeValues.Append($",${changeArgs.Count}");
        }
        if (hasUser && p.User is not null)
        {
            changeArgs.Add(p.User);
            changeNames.Append(",tkt_user");
            changeValues.Append($",${changeArgs.Count}");
        }
        var fromTicket = fields.Where(f => changeFields.Contains(f) && !used.Contains(f)).ToList();
        changeArgs.Add(ticketRid);
        string idArg = "$" + changeArgs.Count;
        if (fromTicket.Count > 0)
        {
            foreach (string f in fromTicket)
            {
                changeNames.Append($",\"{f}\"");
                changeValues.Append($",\"{f}\"");
            }
            _db.Execute($"INSERT INTO ticketchng(tkt_id,tkt_mtime{changeNames}) SELECT {idArg},$1{changeValues} FROM ticket WHERE tkt_id={idArg}", changeArgs.ToArray());
        }
        else
        {
            _db.Execute($"INSERT INTO ticketchng(tkt_id,tkt_mtime{changeNames}) VALUES({idArg},$1{changeValues})", changeArgs.ToArray());
        }
        return ticketRid;
    }

    private void AddTicketEvent(long rid, Artifact p, bool isNew, long tagId)
    {
        string titleColumn = _repository.GetConfig("ticket-title-expr") ?? "title";
        string statusColumn = _repository.GetConfig("ticket-status-column") ?? "status";
        string id = p.TicketId!;
        string link = $"[{UrlHash(id)}|{Short(id)}]";
        string title = TicketValue(titleColumn, id);
        string comment, brief;
        if (isNew)
        {
            comment = $"New ticket {link} <i>{FossilText.Html(title)}</i>.";
            brief = $"New ticket {link}.";
        }
        else if (p.Fields.LastOrDefault(f => f.Name == statusColumn) is { } status)
        {
            comment = $"{FossilText.Html(status.Value)} ticket {link}: <i>{FossilText.Html(title)}</i>";
            if (p.Fields.Count > 1) comment += $" plus {p.Fields.Count - 1} other change{(p.Fields.Count == 2 ? "" : "s")}";
            brief = $"{FossilText.Html(status.Value)} ticket {link}.";
        }
        else
        {
            string current = TicketValue(statusColumn, id);
            comment = $"Ticket {link} <i>{FossilText.Html(title)}</i> status still {FossilText.Html(current)} with {p.Fields.Count} other change{(p.Fields.Count == 1 ? "" : "s")}";
            brief = $"Ticket {link}: {p.Fields.Count} change{(p.Fields.Count == 1 ? "" : "s")}";
        }
        if (_db.Exists("SELECT 1 FROM event WHERE type='t' AND objid=$1", rid))
        {
            _db.Execute("UPDATE event SET tagid=$1, mtime=$2, user=$3, comment=$4, brief=$5 WHERE objid=$6", tagId, _parsing.Dates.ThroughSqlText(p.Date), p.User, comment, brief, rid);
        }
        else
        {
            _db.Execute("REPLACE INTO event(type,tagid,mtime,objid,user,comment,brief) VALUES('t',$1,$2,$3,$4,$5,$6)", tagId, _parsing.Dates.ThroughSqlText(p.Date), rid, p.User, comment, brief);
        }
    }

    private string TicketValue(string column, string ticketId)
    {
        try
        {
            var value = _db.Rows($"SELECT \"{column.Replace("\"", "\"\"", StringComparison.Ordinal)}\" FROM ticket WHERE tkt_uuid=$1", ticketId);
            return value.Count == 0 ? "unknown" : Convert.ToString(value[0][0], System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        catch (RepositoryException)
        {
            return "unknown";
        }
    }
}
