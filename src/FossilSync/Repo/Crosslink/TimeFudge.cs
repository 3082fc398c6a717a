namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Timeline ordering fix-up run at the end of a session: a parent dated at or after its child,
/// but less than two seconds after, is moved to 25 ms before the child (repeatedly, so chains
/// settle), unless its date was edited by a <c>date</c> tag. The session records the candidate
/// pairs in <c>temp.time_fudge</c> while linking files.
/// </summary>
internal static class TimeFudge
{
    private const double AdjustIncrement = 25.0 / 86400000.0;

    public static void Apply(DerivedDb db)
    {
        for (int i = 0; i < 30; i++)
        {
            int changed = db.Execute("UPDATE time_fudge SET m1=m2-$1 WHERE m1>=m2 AND m1<m2+$2", AdjustIncrement, Crosslinker.AgeFudgeWindow);
            if (changed == 0) break;
            db.Execute("UPDATE time_fudge SET m2=(SELECT x.m1 FROM time_fudge AS x WHERE x.mid=time_fudge.cid)");
        }
        if (db.Exists("SELECT 1 FROM time_fudge"))
        {
            db.Execute("UPDATE event SET mtime=(SELECT m1 FROM time_fudge WHERE mid=objid)"
                + " WHERE objid IN (SELECT mid FROM time_fudge) AND (mtime=omtime OR omtime IS NULL)");
        }
        db.Execute("DELETE FROM time_fudge");
    }
}
