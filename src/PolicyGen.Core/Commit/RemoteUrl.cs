using System.Globalization;
using PolicyGen.Diagnostics;

namespace PolicyGen.Commit;

/// <summary>
/// A remote URL split into the address npgen hands to Git and the credentials a user may have put
/// in it (<c>https://user:token@host/repo.git</c>). The credentials never reach Git's config, a
/// message or a log: npgen passes them through <see cref="GitCredentials"/> instead.
/// </summary>
/// <remarks>
/// The user info is cut off the raw text before anything parses the URL: it runs from <c>://</c>
/// to the last <c>@</c>, so a password that holds an unescaped <c>/</c>, <c>#</c>, <c>?</c> or
/// <c>@</c> is still taken out whole (a URL parser would read part of it as the host or path and
/// then quote it in its errors). An <c>@</c> in a path must therefore be written <c>%40</c>.
/// </remarks>
public sealed record RemoteUrl(string Url, string? Username, string? Password)
{
    private static readonly string[] Schemes = ["https", "http", "ssh", "git+ssh", "ssh+git", "git", "file"];

    /// <summary>The URL as shown in messages: no user info.</summary>
    public string Display => Url;

    /// <summary>A local path or file:// URL: the directory it names; else null.</summary>
    public string? LocalPath
    {
        get
        {
            if (Url.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.LocalPath : Url["file://".Length..];
            }

            return IsLocalPath(Url) ? Url : null;
        }
    }

    /// <summary>Parses <paramref name="text"/>; on failure, <paramref name="problem"/> says why and quotes the text with its user info masked.</summary>
    public static bool TryParse(string text, out RemoteUrl url, out string problem)
    {
        url = new RemoteUrl(text, null, null);
        problem = "";
        var shown = Redacted(text);
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (text.Length == 0 || text.Any(char.IsControl) || (separator >= 0 && text.Any(char.IsWhiteSpace)))
        {
            problem = text.Length == 0 ? "the repository URL is empty" : $"the repository URL \"{TextEscaping.ForLine(shown)}\" holds spaces or control characters (write them %-escaped)";
            return false;
        }

        if (separator < 0)
        {
            return true; // a path or scp-like git@host:path: no user info a parser could leak
        }

        var scheme = text[..separator].ToLowerInvariant();
        if (!Schemes.Contains(scheme))
        {
            problem = $"the repository URL {TextEscaping.ForLine(shown)} has the scheme {TextEscaping.ForLine(text[..separator])}:// that npgen cannot push to (use https://, ssh://, git://, file:// or a path)";
            return false;
        }

        var rest = text[(separator + 3)..];
        var at = rest.LastIndexOf('@');
        string? user = null, password = null;
        if (at >= 0)
        {
            var info = rest[..at];
            rest = rest[(at + 1)..];
            var colon = info.IndexOf(':', StringComparison.Ordinal);
            user = Unescape(colon < 0 ? info : info[..colon]);
            password = colon < 0 ? null : Unescape(info[(colon + 1)..]);
        }

        var address = $"{scheme}://{rest}";
        if (scheme != "file")
        {
            var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
            var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
            if (authority.Length == 0)
            {
                problem = $"the repository URL {TextEscaping.ForLine(shown)} names no host";
                return false;
            }

            var portColon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
            if (portColon > 0)
            {
                var port = authority[(portColon + 1)..];
                if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
                {
                    problem = $"the repository URL {TextEscaping.ForLine(shown)} has the port {TextEscaping.ForLine(port)}, which is not a number from 1 to 65535";
                    return false;
                }
            }

            if (!Uri.TryCreate(address, UriKind.Absolute, out _))
            {
                problem = $"the repository URL {TextEscaping.ForLine(shown)} is not a valid URL";
                return false;
            }
        }

        if (scheme is "ssh" or "git+ssh" or "ssh+git")
        {
            // ssh://git@host/repo: the user name is how SSH logs in, not a secret; keep it, drop any password.
            url = new RemoteUrl(user is null ? address : $"{scheme}://{Uri.EscapeDataString(user)}@{rest}", null, password);
            return true;
        }

        url = new RemoteUrl(address, user, password);
        return true;
    }

    /// <summary>
    /// Like <see cref="TryParse"/>, for text already checked; an invalid URL comes back redacted,
    /// with the raw user info split into user and password so callers still see that it had some.
    /// </summary>
    public static RemoteUrl Parse(string text)
    {
        if (TryParse(text, out var url, out _))
        {
            return url;
        }

        var info = RawUserInfo(text);
        var colon = info?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return new RemoteUrl(Redacted(text), colon < 0 ? info : info![..colon], colon < 0 ? null : info![(colon + 1)..]);
    }

    /// <summary><paramref name="text"/> with everything from <c>://</c> to the last <c>@</c> masked: safe to print before the URL is parsed.</summary>
    public static string Redacted(string text)
    {
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            return text;
        }

        var at = text.LastIndexOf('@');
        return at < separator ? text : string.Concat(text.AsSpan(0, separator + 3), "***", text.AsSpan(at));
    }

    /// <summary>The raw user info of <paramref name="text"/> (<c>user:pass</c>), so the redactor can mask it in any message; null if none.</summary>
    public static string? RawUserInfo(string text)
    {
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        var at = text.LastIndexOf('@');
        return separator < 0 || at < separator ? null : text[(separator + 3)..at];
    }

    /// <summary>A path to a local repository: not a URL, and not the scp-like <c>[user@]host:path</c> of SSH.</summary>
    private static bool IsLocalPath(string text)
    {
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return colon < 0 || (slash >= 0 && slash < colon);
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

}
