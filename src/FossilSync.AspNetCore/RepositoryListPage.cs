using System.Globalization;
using System.Net;
using System.Text;
using FossilSync.Repo;
using Microsoft.AspNetCore.Http;

namespace FossilSync.AspNetCore;

/// <summary>
/// The page stock <c>fossil server --repolist DIR</c> shows at <c>/</c>: a table of the folder's
/// repositories, each linked to its URL (the one to clone) with its project name.
/// </summary>
internal static class RepositoryListPage
{
    /// <summary>Writes the list; 404 when the folder holds no repository, as stock answers then.</summary>
    public static async Task WriteAsync(HttpContext context, FossilRepositoryFolder folder)
    {
        var rows = new StringBuilder();
        foreach (string name in folder.RepositoryNames())
        {
            if (ProjectName(folder, name) is not { } project) continue;
            string href = context.Request.PathBase + "/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"{WebUtility.HtmlEncode(href)}\">{WebUtility.HtmlEncode(name)}.fossil</a></td><td>{WebUtility.HtmlEncode(project)}</td></tr>\n");
        }
        if (rows.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        string page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Repository List</title></head><body>\n"
            + "<h1>Repository List</h1>\n<table><thead><tr><th>Filename</th><th>Project Name</th></tr></thead><tbody>\n"
            + rows + "</tbody></table>\n</body></html>\n";
        byte[] body = Encoding.UTF8.GetBytes(page);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    // Null for a file that does not open as a repository: stock leaves those out of its list too.
    private static string? ProjectName(FossilRepositoryFolder folder, string name)
    {
        try
        {
            using var repository = Repository.Open(System.IO.Path.Join(folder.Path, name + ".fossil"));
            return repository.GetConfig("project-name") ?? "";
        }
        catch (RepositoryException)
        {
            return null;
        }
    }
}
