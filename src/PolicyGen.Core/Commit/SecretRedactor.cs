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

    /// <summary><c>scheme://anything@</c> → <c>scheme://***@</c> wherever a URL appears in the text.</summary>
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
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('/' or '\'' or '"' or '@'))
            {
                end++;
            }

            result.Append(text, i, start - i);
            if (end < text.Length && text[end] == '@' && end > start)
            {
                result.Append(Mask);
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
