using System.Collections.Immutable;
using PolicyGen.Commit;
using PolicyGen.Diagnostics;
using PolicyGen.Verify;

namespace PolicyGen.Core.Tests.Commit;

/// <summary>A file, directory or environment name cannot add lines, trailers or terminal escapes to an npgen commit message.</summary>
public sealed class CommitMessageEscapingTests
{
    [Theory]
    [InlineData("apps/x.yaml\nSigned-off-by: Mallory <m@example.com>")]
    [InlineData("apps/x.yaml\r\nNpgen-Version: 9.9.9")]
    [InlineData("apps/x\u001b[2J.yaml")]
    [InlineData("apps/x\u2028Npgen-Environment: prod.yaml")]
    [InlineData("apps/\u202Elmay.x")]
    public void Hostile_names_stay_on_their_own_line_and_show_escaped(string hostile)
    {
        var settings = new CommitSettings
        {
            Scope = $"shop ({hostile})",
            Version = "0.1.0",
            IntentPath = hostile,
            IntentSha256 = new string('a', 64),
            Environment = hostile,
        };
        var changes = new ConnectivityChanges([new FlowChange(true, "shop/web", hostile, "80/TCP")], ImmutableArray<FlowChange>.Empty);
        var message = CommitMessage.Build(settings, changes, firstPolicies: false, directory: hostile);

        Assert.DoesNotContain(message, c => TextEscaping.IsUnsafe(c) && c != '\n');
        var lines = message.Split('\n');
        Assert.StartsWith("npgen: update NetworkPolicies for shop (", lines[0]);
        // The trailers are exactly npgen's four, once each, with the escaped values.
        var trailers = lines.SkipWhile(l => !l.StartsWith(CommitMessage.VersionTrailer + ":", StringComparison.Ordinal)).Where(l => l.Length > 0).ToList();
        Assert.Equal(
            [$"{CommitMessage.VersionTrailer}: 0.1.0", $"{CommitMessage.IntentPathTrailer}: {TextEscaping.ForLine(hostile)}",
             $"{CommitMessage.IntentShaTrailer}: {new string('a', 64)}", $"{CommitMessage.EnvironmentTrailer}: {TextEscaping.ForLine(hostile)}"],
            trailers);
        Assert.DoesNotContain(lines, l => l.StartsWith("Signed-off-by", StringComparison.Ordinal));
        Assert.Contains($"+ shop/web -> {TextEscaping.ForLine(hostile)} 80/TCP", lines);
    }
}
