using System.Net;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Evaluation;

/// <summary>
/// Identities: endpoints fold together exactly when no policy can tell them apart (namespace,
/// values of the label keys selectors use, named ports that rules name, IP atoms, hostNetwork).
/// </summary>
public sealed class IdentityGroupingTests
{
    private static Endpoint Pod(string name, (string, string)[] labels, params ContainerPort[] ports)
        => new() { Namespace = "x", Name = name, Kind = "Pod", Labels = Labels.Of(labels), Ports = [.. ports] };

    private static PolicyEvaluator Evaluate(params Endpoint[] endpoints)
    {
        var policy = new NetworkPolicy
        {
            Namespace = "x",
            Name = "p",
            PodSelector = new LabelSelector { MatchLabels = Labels.Of(("app", "web")) },
            Ingress = [new PolicyRule
            {
                Peers = [new PolicyPeer { PodSelector = new LabelSelector { MatchLabels = Labels.Of(("tier", "b")) } }],
                Ports = [new PolicyPort { Port = IntOrString.FromName("http") }],
            }],
        };
        return PolicyEvaluator.Create(new Cluster
        {
            Namespaces = [Namespace.Create("x", [], null)],
            Endpoints = [.. endpoints],
            Policies = [policy],
        });
    }

    [Fact]
    public void Labels_no_selector_reads_and_repeated_named_ports_do_not_split_identities()
    {
        var http = new ContainerPort("http", 8080, Protocol.TCP);
        var evaluator = Evaluate(
            Pod("a", [("app", "web"), ("pod-template-hash", "1")], http),
            Pod("b", [("app", "web"), ("pod-template-hash", "2")], http, http, new ContainerPort("metrics", 9090, Protocol.TCP)),
            Pod("c", [("app", "web")], new ContainerPort("http", 8081, Protocol.TCP)));
        Assert.Equal(2, evaluator.IdentityCount);
        Assert.Equal(evaluator.IdentityOf(0), evaluator.IdentityOf(1));
        Assert.NotEqual(evaluator.IdentityOf(0), evaluator.IdentityOf(2));
    }

    [Fact]
    public void Label_values_that_look_like_other_labels_are_never_confused()
    {
        // Two selected keys against one value holding their text: a text key joined with '\0' and
        // '=' could not tell these apart; the pods differ for the tier=b peer.
        var evaluator = Evaluate(
            Pod("a", [("app", "web"), ("tier", "b")]),
            Pod("b", [("app", "web\0tier=b")]));
        Assert.Equal(2, evaluator.IdentityCount);
        Assert.NotEqual(evaluator.IdentityOf(0), evaluator.IdentityOf(1));
    }

    [Fact]
    public void Identities_are_numbered_the_same_whatever_the_endpoint_order()
    {
        Endpoint[] pods =
        [
            Pod("a", [("app", "web")]) with { Addresses = [IPAddress.Parse("10.0.0.1")] },
            Pod("b", [("tier", "b")]),
            Pod("c", [("app", "api")]),
            Pod("d", [("tier", "b"), ("app", "web")]),
        ];
        var forward = Evaluate(pods);
        var backward = Evaluate([.. pods.Reverse()]);
        for (var i = 0; i < pods.Length; i++)
        {
            Assert.Equal(forward.IdentityOf(i), backward.IdentityOf(pods.Length - 1 - i));
        }
    }
}
