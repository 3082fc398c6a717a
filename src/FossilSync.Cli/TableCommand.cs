using System.CommandLine;
using FossilSync.Repo;
using FossilSync.Repo.Tables;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync table define|put|delete|list REPO NAME …</c>: the repository's synced tables
/// from the command line, so a sync tool can be scripted without code. Rows are JSON objects,
/// values typed by their column (integers exact to 64 bits, blobs base64).
/// </summary>
internal static class TableCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("table", "Declare synced tables and put, delete or list their rows.")
        {
            Define(output),
            Put(output),
            Delete(output),
            List(output),
        };
        return command;
    }

    private static Command Define(CliOutput output)
    {
        var repository = CliArguments.ExistingRepository("the repository");
        var name = new Argument<string>("NAME") { Description = "the table's name (its rows live in x_NAME)" };
        var columns = new Option<string[]>("--column") { Description = "a column as COL:TYPE, TYPE one of text, integer, real, blob (repeat for each column)", HelpName = "COL:TYPE", Required = true, AllowMultipleArgumentsPerToken = false };
        var key = new Option<string>("--key") { Description = "the primary-key columns, comma-separated", HelpName = "COL[,COL]", Required = true };
        var policy = new Option<string>("--policy") { Description = "who may write rows: mtime-wins (default), self-write or owner-write", HelpName = "POLICY", DefaultValueFactory = _ => "mtime-wins" };
        var owner = new Option<bool>("--owner-column") { Description = "keep the writing user in an _owner column (implied by owner-write)" };
        var command = new CliCommand("define", "Declare a synced table, or add columns at the end of an existing one.",
            "fossilsync table define repo.fossil tasks --column id:integer --column title:text --key id",
            "fossilsync table define repo.fossil presence --column user:text --column seen:integer --key user --policy self-write")
        {
            repository, name, columns, key, policy, owner,
        };
        command.SetAction(parsed =>
        {
            var declared = parsed.GetRequiredValue(columns).Select(ParseColumn).ToList();
            var definition = new TableDefinition(parsed.GetRequiredValue(name), declared,
                parsed.GetRequiredValue(key).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                TableDefinition.ParsePolicy(parsed.GetValue(policy)!), parsed.GetValue(owner));
            using var repo = Repository.Open(parsed.GetRequiredValue(repository));
            var table = repo.Tables.Define(definition);
            output.Out.WriteLine($"table {table.Name}: {string.Join(", ", table.Definition.Columns.Select(c => $"{c.Name}:{TableDefinition.TypeName(c.Type)}"))}; key {string.Join(',', table.Definition.Key)}; {TableDefinition.PolicyName(table.Definition.Policy)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Put(CliOutput output)
    {
        var (repository, name, json, user) = RowSymbols("the row as a JSON object of column values");
        var command = new CliCommand("put", "Insert or replace a row (its mtime is now).",
            "fossilsync table put repo.fossil tasks '{\"id\": 1, \"title\": \"write the docs\"}'")
        {
            repository, name, json, user,
        };
        command.SetAction(parsed =>
        {
            using var repo = Repository.Open(parsed.GetRequiredValue(repository));
            var table = repo.Tables[parsed.GetRequiredValue(name)];
            table.Put(SyncedTable.FromJson(table.Definition, parsed.GetRequiredValue(json)), parsed.GetValue(user));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliOutput output)
    {
        var (repository, name, json, user) = RowSymbols("the row's key as a JSON object of key column values");
        var command = new CliCommand("delete", "Delete a row by its key; the deletion syncs like a row.",
            "fossilsync table delete repo.fossil tasks '{\"id\": 1}'")
        {
            repository, name, json, user,
        };
        command.SetAction(parsed =>
        {
            using var repo = Repository.Open(parsed.GetRequiredValue(repository));
            var table = repo.Tables[parsed.GetRequiredValue(name)];
            if (!table.Delete(SyncedTable.FromJson(table.Definition, parsed.GetRequiredValue(json), keyOnly: true), parsed.GetValue(user)))
            {
                throw new CommandFailedException($"table {table.Name} has no such row.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliOutput output)
    {
        var repository = CliArguments.ExistingRepository("the repository");
        var name = new Argument<string>("NAME") { Description = "the table" };
        var command = new CliCommand("list", "Print the live rows, one compact JSON object per line, columns in declared order (null columns left out), sorted by primary key.",
            "fossilsync table list repo.fossil tasks")
        {
            repository, name,
        };
        command.SetAction(parsed =>
        {
            using var repo = Repository.Open(parsed.GetRequiredValue(repository));
            var table = repo.Tables[parsed.GetRequiredValue(name)];
            foreach (var row in table.Rows()) output.Out.WriteLine(SyncedTable.ToJson(table.Definition, row));
            return ExitCodes.Success;
        });
        return command;
    }

    private static (Argument<string> Repository, Argument<string> Name, Argument<string> Json, Option<string> User) RowSymbols(string jsonDescription) =>
        (CliArguments.ExistingRepository("the repository"),
         new Argument<string>("NAME") { Description = "the table" },
         new Argument<string>("JSON") { Description = jsonDescription },
         new Option<string>("--user") { Description = "who writes (needed for owner-write tables; checked for self-write ones)", HelpName = "USER" });

    private static TableColumn ParseColumn(string spec)
    {
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new CommandFailedException($"--column '{spec}' is not COL:TYPE.");
        return new TableColumn(spec[..colon], TableDefinition.ParseType(spec[(colon + 1)..]));
    }
}
