namespace FossilSync.Repo;

/// <summary>
/// The repository schema exactly as <c>fossil new</c> 2.21 writes it (from
/// <c>fossil sql .schema</c>), so that stock fossil opens our files without a rebuild.
/// </summary>
internal static class RepositorySchema
{
    /// <summary>Stock fossil refuses to sync with a repository whose aux-schema is older or missing.</summary>
    public const string AuxSchema = "2015-01-24";

    /// <summary>The content-schema version fossil 2.21 writes.</summary>
    public const string ContentSchema = "2";

    /// <summary>SQLite application_id of a fossil repository (what file(1) recognises).</summary>
    public const int ApplicationId = 252006673;

    /// <summary>Tables stock fossil requires before it calls a file a repository.</summary>
    public static readonly string[] RequiredTables = ["blob", "delta", "rcvfrom", "user", "config", "mlink", "plink"];

    /// <summary>Tables holding content; never rebuilt.</summary>
    public const string ContentTables = """
        CREATE TABLE blob(
          rid INTEGER PRIMARY KEY,
          rcvid INTEGER,
          size INTEGER,
          uuid TEXT UNIQUE NOT NULL,
          content BLOB,
          CHECK( length(uuid)>=40 AND rid>0 )
        );
        CREATE TABLE delta(
          rid INTEGER PRIMARY KEY,
          srcid INTEGER NOT NULL REFERENCES blob
        );
        CREATE INDEX delta_i1 ON delta(srcid);
        CREATE TABLE rcvfrom(
          rcvid INTEGER PRIMARY KEY,
          uid INTEGER REFERENCES user,
          mtime DATETIME,
          nonce TEXT UNIQUE,
          ipaddr TEXT
        );
        CREATE TABLE user(
          uid INTEGER PRIMARY KEY,
          login TEXT UNIQUE,
          pw TEXT,
          cap TEXT,
          cookie TEXT,
          ipaddr TEXT,
          cexpire DATETIME,
          info TEXT,
          mtime DATE,
          photo BLOB,
          jx TEXT DEFAULT '{}'
        );
        CREATE TABLE config(
          name TEXT PRIMARY KEY NOT NULL,
          value CLOB,
          mtime DATE,
          CHECK( typeof(name)='text' AND length(name)>=1 )
        );
        CREATE TABLE shun(
          uuid UNIQUE,
          mtime DATE,
          scom TEXT
        );
        CREATE TABLE private(rid INTEGER PRIMARY KEY);
        CREATE TABLE reportfmt(
           rn INTEGER PRIMARY KEY,
           owner TEXT,
           title TEXT UNIQUE,
           mtime DATE,
           cols TEXT,
           sqlcode TEXT,
           jx TEXT DEFAULT '{}'
        );
        CREATE TABLE concealed(
          hash TEXT PRIMARY KEY,
          mtime DATE,
          content TEXT
        );
        """;

    /// <summary>Tables derived from content by crosslinking; a rebuild drops and recreates them.</summary>
    public const string DerivedTables = """
        CREATE TABLE filename(
          fnid INTEGER PRIMARY KEY,
          name TEXT UNIQUE
        );
        CREATE TABLE mlink(
          mid INTEGER,
          fid INTEGER,
          pmid INTEGER,
          pid INTEGER,
          fnid INTEGER REFERENCES filename,
          pfnid INTEGER,
          mperm INTEGER,
          isaux BOOLEAN DEFAULT 0
        );
        CREATE INDEX mlink_i1 ON mlink(mid);
        CREATE INDEX mlink_i2 ON mlink(fnid);
        CREATE INDEX mlink_i3 ON mlink(fid);
        CREATE INDEX mlink_i4 ON mlink(pid);
        CREATE TABLE plink(
          pid INTEGER REFERENCES blob,
          cid INTEGER REFERENCES blob,
          isprim BOOLEAN,
          mtime DATETIME,
          baseid INTEGER REFERENCES blob,
          UNIQUE(pid, cid)
        );
        CREATE INDEX plink_i2 ON plink(cid,pid);
        CREATE TABLE leaf(rid INTEGER PRIMARY KEY);
        CREATE TABLE event(
          type TEXT,
          mtime DATETIME,
          objid INTEGER PRIMARY KEY,
          tagid INTEGER,
          uid INTEGER REFERENCES user,
          bgcolor TEXT,
          euser TEXT,
          user TEXT,
          ecomment TEXT,
          comment TEXT,
          brief TEXT,
          omtime DATETIME
        );
        CREATE INDEX event_i1 ON event(mtime);
        CREATE TABLE phantom(
          rid INTEGER PRIMARY KEY
        );
        CREATE TABLE orphan(
          rid INTEGER PRIMARY KEY,
          baseline INTEGER
        );
        CREATE INDEX orphan_baseline ON orphan(baseline);
        CREATE TABLE unclustered(
          rid INTEGER PRIMARY KEY
        );
        CREATE TABLE unsent(
          rid INTEGER PRIMARY KEY
        );
        CREATE TABLE tag(
          tagid INTEGER PRIMARY KEY,
          tagname TEXT UNIQUE
        );
        CREATE TABLE tagxref(
          tagid INTEGER REFERENCES tag,
          tagtype INTEGER,
          srcid INTEGER REFERENCES blob,
          origid INTEGER REFERENCES blob,
          value TEXT,
          mtime TIMESTAMP,
          rid INTEGER REFERENCE blob,
          UNIQUE(rid, tagid)
        );
        CREATE INDEX tagxref_i1 ON tagxref(tagid, mtime);
        CREATE TABLE backlink(
          target TEXT,
          srctype INT,
          srcid INT,
          mtime TIMESTAMP,
          UNIQUE(target, srctype, srcid)
        );
        CREATE INDEX backlink_src ON backlink(srcid, srctype);
        CREATE TABLE attachment(
          attachid INTEGER PRIMARY KEY,
          isLatest BOOLEAN DEFAULT 0,
          mtime TIMESTAMP,
          src TEXT,
          target TEXT,
          filename TEXT,
          comment TEXT,
          user TEXT
        );
        CREATE INDEX attachment_idx1 ON attachment(target, filename, mtime);
        CREATE INDEX attachment_idx2 ON attachment(src);
        CREATE TABLE ticket(
          tkt_id INTEGER PRIMARY KEY,
          tkt_uuid TEXT UNIQUE,
          tkt_mtime DATE,
          tkt_ctime DATE,
          type TEXT,
          status TEXT,
          subsystem TEXT,
          priority TEXT,
          severity TEXT,
          foundin TEXT,
          private_contact TEXT,
          resolution TEXT,
          title TEXT,
          comment TEXT
        );
        CREATE TABLE ticketchng(
          tkt_id INTEGER REFERENCES ticket,
          tkt_rid INTEGER REFERENCES blob,
          tkt_mtime DATE,
          tkt_user TEXT,
          login TEXT,
          username TEXT,
          mimetype TEXT,
          icomment TEXT
        );
        CREATE INDEX ticketchng_idx1 ON ticketchng(tkt_id, tkt_mtime);
        CREATE TABLE cherrypick(
          parentid INT,
          childid INT,
          isExclude BOOLEAN DEFAULT false,
          PRIMARY KEY(parentid, childid)
        ) WITHOUT ROWID;
        CREATE INDEX cherrypick_cid ON cherrypick(childid);
        """;

    /// <summary>Rows every new repository starts with: the predefined tags and the default ticket report.</summary>
    public const string SeedRows = PredefinedTags + DefaultReport;

    /// <summary>Tags 1–11, which fossil's code refers to by number; a rebuild re-creates them too.</summary>
    public const string PredefinedTags = """
        INSERT INTO tag(tagid, tagname) VALUES
          (1,'bgcolor'),(2,'comment'),(3,'user'),(4,'date'),(5,'hidden'),(6,'private'),
          (7,'cluster'),(8,'branch'),(9,'closed'),(10,'parent'),(11,'note');

        """;

    /// <summary>The "All Tickets" report.</summary>
    public const string DefaultReport = """
        INSERT INTO reportfmt(title,mtime,cols,sqlcode)
        VALUES('All Tickets',julianday('1970-01-01'),'#ffffff Key:
        #f2dcdc Active
        #e8e8e8 Review
        #cfe8bd Fixed
        #bde5d6 Tested
        #cacae5 Deferred
        #c8c8c8 Closed','SELECT
          CASE WHEN status IN (''Open'',''Verified'') THEN ''#f2dcdc''
               WHEN status=''Review'' THEN ''#e8e8e8''
               WHEN status=''Fixed'' THEN ''#cfe8bd''
               WHEN status=''Tested'' THEN ''#bde5d6''
               WHEN status=''Deferred'' THEN ''#cacae5''
               ELSE ''#c8c8c8'' END AS ''bgcolor'',
          substr(tkt_uuid,1,10) AS ''#'',
          datetime(tkt_mtime) AS ''mtime'',
          type,
          status,
          subsystem,
          title
        FROM ticket');
        """;
}
