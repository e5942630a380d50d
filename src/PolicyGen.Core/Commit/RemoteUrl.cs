namespace PolicyGen.Commit;

/// <summary>
/// A remote URL split into the address npgen hands to Git and the credentials a user may have put
/// in it (<c>https://user:token@host/repo.git</c>). The credentials never reach Git's config, a
/// message or a log: npgen passes them through <see cref="GitCredentials"/> instead.
/// </summary>
public sealed record RemoteUrl(string Url, string? Username, string? Password)
{
    /// <summary>The URL as shown in messages: no user info.</summary>
    public string Display => Url;

    public static RemoteUrl Parse(string text)
    {
        // scp-like SSH (git@host:path) and plain paths have no user info to take out.
        if (!text.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
        {
            return new RemoteUrl(text, null, null);
        }

        var builder = new UriBuilder(uri) { UserName = "", Password = "" };
        var info = uri.UserInfo;
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? info : info[..colon]);
        var password = colon < 0 ? null : Uri.UnescapeDataString(info[(colon + 1)..]);
        if (uri.Scheme is "ssh" or "git+ssh" or "ssh+git")
        {
            // ssh://git@host/repo: the user name is how SSH logs in, not a secret; keep it, drop any password.
            builder.UserName = Uri.EscapeDataString(user);
            return new RemoteUrl(builder.Uri.AbsoluteUri, null, password);
        }

        return new RemoteUrl(builder.Uri.AbsoluteUri, user, password);
    }
}
