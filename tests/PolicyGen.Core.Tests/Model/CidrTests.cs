using PolicyGen.Model;

namespace PolicyGen.Tests.Model;

public class CidrTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", true)]
    [InlineData("10.1.2.3/8", "10.0.0.0/8", false)]
    [InlineData("010.0.0.0/8", "10.0.0.0/8", false)] // leading zeros are decimal, as the API server reads them
    [InlineData("10.0.0.010/32", "10.0.0.10/32", false)]
    [InlineData("10.0.0.0/08", "10.0.0.0/8", false)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", true)]
    [InlineData("2001:db8::/32", "2001:db8::/32", true)]
    [InlineData("2001:DB8::/32", "2001:db8::/32", false)]
    [InlineData("2001:0db8::/32", "2001:db8::/32", false)]
    [InlineData("2001:db8::1/64", "2001:db8::/64", false)]
    public void S14_7_parses_and_reports_canonical_form(string text, string expected, bool canonical)
    {
        Assert.True(Cidr.TryParse(text, out var cidr, out var isCanonical));
        Assert.Equal(expected, cidr.ToString());
        Assert.Equal(canonical, isCanonical);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.1/16")]
    [InlineData("10/8")]
    [InlineData("0x0a.0.0.0/8")]
    [InlineData("256.0.0.0/8")]
    [InlineData("10.0.0.0.0/8")]
    [InlineData("10..0.0/8")]
    [InlineData(" 10.0.0.0/8")]
    [InlineData("2001:db8::/129")]
    [InlineData("[2001:db8::]/32")]
    [InlineData("fe80::1%0/64")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("nonsense/8")]
    public void S14_7_rejects_what_the_api_server_rejects(string text)
        => Assert.False(Cidr.TryParse(text, out _, out _));
}
