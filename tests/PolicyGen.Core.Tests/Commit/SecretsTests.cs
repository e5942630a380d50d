using PolicyGen.Commit;

namespace PolicyGen.Core.Tests.Commit;

/// <summary>Credentials never reach a message: URLs lose their user info, secrets are masked in every form.</summary>
public sealed class SecretsTests
{
    [Fact]
    public void A_url_with_credentials_is_split_and_the_address_has_none()
    {
        var url = RemoteUrl.Parse("https://bot:t%40ken@git.example.com/platform/gitops.git");
        Assert.Equal("https://git.example.com/platform/gitops.git", url.Url);
        Assert.Equal("bot", url.Username);
        Assert.Equal("t@ken", url.Password);

        Assert.Equal(new RemoteUrl("git@github.com:org/repo.git", null, null), RemoteUrl.Parse("git@github.com:org/repo.git"));
        Assert.Equal(new RemoteUrl("/srv/git/gitops.git", null, null), RemoteUrl.Parse("/srv/git/gitops.git"));
        Assert.Equal("ssh://git@example.com/repo.git", RemoteUrl.Parse("ssh://git@example.com/repo.git").Url);
    }

    [Fact]
    public void The_redactor_masks_the_password_its_escaped_and_basic_forms_and_any_user_info()
    {
        var redactor = new SecretRedactor(new GitCredentials { Username = "bot", Password = "p@ss word" });
        Assert.Equal("failed: *** and *** and ***", redactor.Redact("failed: p@ss word and p%40ss%20word and Ym90OnBAc3Mgd29yZA=="));
        Assert.Equal("clone https://***@host/x.git failed", redactor.Redact("clone https://someone:other@host/x.git failed"));
        Assert.Equal("see https://host/x.git", redactor.Redact("see https://host/x.git"));
        Assert.DoesNotContain("p@ss", new GitCredentials { Password = "p@ss" }.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Npgen_commits_are_recognised_by_their_version_trailer()
    {
        Assert.True(CommitMessage.IsNpgenMessage("npgen: update\n\nbody\n\nNpgen-Version: 0.1.0\nNpgen-Intent-Path: a.yaml\n"));
        Assert.False(CommitMessage.IsNpgenMessage("Reviewer notes\n"));
    }
}
