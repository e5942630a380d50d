using System.Text;

namespace PolicyGen.Commit;

/// <summary>
/// Removes secrets from every text npgen prints: each registered secret (and its URL-escaped and
/// Basic-auth forms) becomes <c>***</c>, and the user-info part of any URL (<c>https://user:pw@</c>)
/// becomes <c>https://***@</c>.
/// </summary>
public sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly List<string> secrets = [];

    public SecretRedactor(GitCredentials credentials)
    {
        if (credentials.HasPassword)
        {
            Add(credentials.Password!);
            var user = credentials.Username ?? GitCredentials.DefaultUsername;
            Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{credentials.Password}")));
        }
    }

    /// <summary>
    /// Registers the user info of a repository URL as given (before any parsing), so that no
    /// message can quote it: the password, the whole <c>user:password</c>, and a user name given
    /// alone over HTTP(S) (a token used as the user name).
    /// </summary>
    public void AddUrl(string text)
    {
        if (RemoteUrl.RawUserInfo(text) is not { Length: > 0 } info)
        {
            return;
        }

        var colon = info.IndexOf(':', StringComparison.Ordinal);
        var ssh = text.StartsWith("ssh", StringComparison.OrdinalIgnoreCase) || text.StartsWith("git+ssh", StringComparison.OrdinalIgnoreCase);
        if (colon >= 0)
        {
            Add(info[(colon + 1)..]);
            Add(info);
        }
        else if (!ssh)
        {
            Add(info);
        }

        if (RemoteUrl.TryParse(text, out var url, out _) && url.Password is { Length: > 0 } password)
        {
            Add(password);
        }
    }

    public void Add(string secret)
    {
        if (secret.Length == 0)
        {
            return;
        }

        foreach (var form in new[] { secret, Uri.EscapeDataString(secret) })
        {
            if (!secrets.Contains(form))
            {
                secrets.Add(form);
            }
        }

        // Longest first, so a secret that contains another is masked whole.
        secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
    }

    public string Redact(string text)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return RedactUserInfo(text);
    }

    /// <summary>
    /// <c>scheme://anything@</c> → <c>scheme://***@</c> wherever a URL appears in the text. The user
    /// info runs to the last <c>@</c> of the URL (up to a space or quote), as <see cref="RemoteUrl"/>
    /// reads it, so a password with an unescaped <c>/</c>, <c>#</c>, <c>?</c> or <c>@</c> is masked whole.
    /// </summary>
    private static string RedactUserInfo(string text)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (true)
        {
            var scheme = text.IndexOf("://", i, StringComparison.Ordinal);
            if (scheme < 0)
            {
                break;
            }

            var start = scheme + 3;
            var end = start;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('\'' or '"' or '`' or '<' or '>'))
            {
                end++;
            }

            var at = text.LastIndexOf('@', end - 1, end - start);
            result.Append(text, i, start - i);
            if (at > start || (at == start && end > start))
            {
                result.Append(Mask).Append(text, at, end - at);
            }
            else
            {
                result.Append(text, start, end - start);
            }

            i = end;
        }

        return result.Append(text, i, text.Length - i).ToString();
    }
}
