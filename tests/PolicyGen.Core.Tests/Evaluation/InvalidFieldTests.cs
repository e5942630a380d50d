namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>
/// The CLI refuses invalid policies (S14), but library callers may still hand them over: an invalid
/// field must never widen a rule.
/// </summary>
public sealed class InvalidFieldTests
{
    [Fact]
    public void S14_2_a_port_entry_with_an_unknown_protocol_matches_nothing_instead_of_every_port()
    {
        var s = Scenario.Create()
            .Namespaces("x")
            .Pods("x/a pod=a\nx/b pod=b port=http:80")
            .Policy("x/lower-case", """
                podSelector: {matchLabels: {pod: b}}
                ingress:
                - ports: [{port: 80, protocol: tcp}]
                """)
            .Build();

        Expect.Denied(s.Eval("x/a", "x/b", 80));
        Expect.IsolatedBy(s.Eval("x/a", "x/b", 80).Ingress, "x/lower-case");
    }
}
