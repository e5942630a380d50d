using PolicyGen.Model;

namespace PolicyGen.Tests.Model;

public class IpAddressTextTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("010.0.0.1", "10.0.0.1")] // leading zeros are decimal, as the API server reads them (IPAddress.Parse: 8.0.0.1)
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::ffff:10.0.0.1", "::ffff:10.0.0.1")]
    public void an_address_as_kubernetes_writes_it_is_read(string text, string expected)
    {
        Assert.True(IpAddressText.TryParse(text, out var address));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData("203.0.113")] // IPAddress.Parse reads it as 203.0.0.113
    [InlineData("10.1")] // ... and this as 10.0.0.1
    [InlineData("167772161")] // ... and this as 10.0.0.1
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.1 ")]
    [InlineData("[2001:db8::1]")]
    [InlineData("fe80::1%0")]
    [InlineData("")]
    [InlineData("shop/web")]
    public void a_typo_or_another_spelling_is_not_an_address(string text)
        => Assert.False(IpAddressText.TryParse(text, out _));
}
