using PolicyGen.Commit;

namespace PolicyGen.Core.Tests.Commit;

/// <summary>
/// Hostile repository URLs: the user info is cut off the raw text before anything parses it, so a
/// password holding /, #, ? or @ never ends up in the address, in a message or in a problem report.
/// </summary>
public sealed class RemoteUrlTests
{
    private const string Marker = "MARKER";

    [Theory]
    [InlineData("https://bot:pa/ss-MARKER@git.example.com/org/repo.git", "bot", "pa/ss-MARKER")]
    [InlineData("https://bot:pa#ss-MARKER@git.example.com/org/repo.git", "bot", "pa#ss-MARKER")]
    [InlineData("https://bot:pa?ss-MARKER@git.example.com/org/repo.git", "bot", "pa?ss-MARKER")]
    [InlineData("https://bot:pa@ss-MARKER@git.example.com/org/repo.git", "bot", "pa@ss-MARKER")]
    [InlineData("https://bot:p/a#b?c@d-MARKER@git.example.com:8443/org/repo.git", "bot", "p/a#b?c@d-MARKER")]
    [InlineData("https://bot:pa%2Fss%40-MARKER@git.example.com/org/repo.git", "bot", "pa/ss@-MARKER")]
    [InlineData("http://bot:MARKER@127.0.0.1:8080/repo.git", "bot", "MARKER")]
    public void A_password_with_url_delimiters_is_taken_out_whole(string text, string user, string password)
    {
        Assert.True(RemoteUrl.TryParse(text, out var url, out var problem), problem);
        Assert.Equal(user, url.Username);
        Assert.Equal(password, url.Password);
        Assert.DoesNotContain(Marker, url.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("@", url.Url, StringComparison.Ordinal);
        Assert.EndsWith("/repo.git", url.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, RemoteUrl.Redacted(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://bot:pa/ss#MARKER@127.0.0.1:99999/x.git", "port 99999")]
    [InlineData("https://bot:MARKER@127.0.0.1:0/x.git", "port 0")]
    [InlineData("https://bot:MARKER@127.0.0.1:http/x.git", "port http")]
    [InlineData("ftp://bot:MARKER@host/x.git", "ftp://")]
    [InlineData("https://bot:MARKER@/x.git", "no host")]
    [InlineData("https://bot:MARK ER@host/x.git", "spaces or control characters")]
    [InlineData("https://bot:MARKER\n@host/x.git", "spaces or control characters")]
    [InlineData("https://bot:MARKER@[::1/x.git", "not a valid URL")]
    public void An_unusable_url_is_refused_with_the_reason_and_the_url_redacted(string text, string reason)
    {
        Assert.False(RemoteUrl.TryParse(text, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Contains("***", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("MARK", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_of_an_unusable_url_keeps_the_secret_out_but_says_there_was_user_info()
    {
        var url = RemoteUrl.Parse("https://bot:p/a#MARKER@127.0.0.1:99999/x.git");
        Assert.Equal("https://***@127.0.0.1:99999/x.git", url.Url);
        Assert.Equal("bot", url.Username);
        Assert.Equal("p/a#MARKER", url.Password);
    }

    [Fact]
    public void Paths_scp_like_and_ssh_urls_keep_what_is_not_secret()
    {
        Assert.True(RemoteUrl.TryParse("../gitops.git", out var relative, out _));
        Assert.Equal("../gitops.git", relative.LocalPath);
        Assert.True(RemoteUrl.TryParse("/srv/My Repos/gitops.git", out var spaced, out _));
        Assert.Equal("/srv/My Repos/gitops.git", spaced.LocalPath);
        Assert.True(RemoteUrl.TryParse("file:///srv/git/gitops.git", out var file, out _));
        Assert.Equal("/srv/git/gitops.git", file.LocalPath);
        Assert.True(RemoteUrl.TryParse("git@github.com:org/repo.git", out var scp, out _));
        Assert.Null(scp.LocalPath);
        Assert.Equal("git@github.com:org/repo.git", scp.Url);
        Assert.True(RemoteUrl.TryParse("ssh://git:MARKER@example.com:2222/repo.git", out var ssh, out _));
        Assert.Equal("ssh://git@example.com:2222/repo.git", ssh.Url);
        Assert.Null(ssh.Username);
        Assert.Equal("MARKER", ssh.Password);
    }

    [Theory]
    [InlineData("https://bot:p/a#b?c@d-MARKER@git.example.com/x.git")]
    [InlineData("https://bot:pa%2Fss-MARKER@git.example.com/x.git")]
    [InlineData("https://MARKER-token@git.example.com/x.git")]
    [InlineData("https://bot:pa/ss#MARKER@127.0.0.1:99999/x.git")]
    public void The_redactor_masks_a_urls_user_info_in_any_message_that_quotes_it(string text)
    {
        var redactor = new SecretRedactor(GitCredentials.None);
        redactor.AddUrl(text);
        foreach (var message in new[]
        {
            $"fetching from {text} failed: no error",
            $"'{text}'",
            $"remote.origin.url={text}",
            $"could not reach {text}/info/refs?service=git-upload-pack",
            "the password was " + RemoteUrl.RawUserInfo(text)!.Split(':')[^1],
        })
        {
            Assert.DoesNotContain("MARKER", redactor.Redact(message), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_url_without_user_info_is_left_alone()
    {
        var redactor = new SecretRedactor(GitCredentials.None);
        redactor.AddUrl("https://git.example.com/org/repo.git");
        Assert.Equal("see https://git.example.com/org/repo.git and user@example.com", redactor.Redact("see https://git.example.com/org/repo.git and user@example.com"));
    }
}
