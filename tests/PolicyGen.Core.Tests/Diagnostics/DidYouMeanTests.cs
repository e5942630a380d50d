using PolicyGen.Diagnostics;

namespace PolicyGen.Core.Tests.Diagnostics;

public sealed class DidYouMeanTests
{
    [Theory]
    [InlineData("biuld", "build")]
    [InlineData("matirx", "matrix")]
    [InlineData("gne", "gen")]
    [InlineData("verfy", "verify")]
    [InlineData("prd", "prod")]
    [InlineData("BUILD", "build")]
    public void A_typo_finds_the_name(string typed, string expected)
        => Assert.Equal(expected, DidYouMean.Closest(typed, ["build", "verify", "matrix", "gen", "prod", "dev"]));

    [Theory]
    [InlineData("kubectl")]
    [InlineData("x")]
    [InlineData("staging")]
    public void A_word_far_from_every_name_finds_nothing(string typed)
        => Assert.Null(DidYouMean.Closest(typed, ["build", "verify", "matrix", "gen", "prod", "dev"]));
}
