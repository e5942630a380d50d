using PolicyGen.Core.Tests.Evaluation;
using PolicyGen.Evaluation;
using PolicyGen.Model;

namespace PolicyGen.Core.Tests.Recipes;

/// <summary>
/// The cluster every recipe pair is compared on: the namespaces, namespace labels and pod labels the
/// recipes' walkthroughs use (default, foo, secondary, prod/dev, other labelled team=operations, kube-dns in
/// kube-system), pods that match each recipe's selectors and pods that just miss them (one label of two, the
/// right labels in another namespace), a pod of no app, a second namespace carrying the team=operations label
/// and one named "operations" without it, and outside addresses inside and outside the CIDR the variants use.
/// </summary>
public static class RecipeWitness
{
    /// <summary>Destination ports: every port a recipe opens, ports next to them, both protocols, and DNS.</summary>
    public static readonly PortProbe[] Probes =
    [
        new(53, Protocol.UDP), new(53, Protocol.TCP),
        new(80, Protocol.TCP), new(80, Protocol.UDP), new(80, Protocol.SCTP),
        new(443, Protocol.TCP), new(5000, Protocol.TCP), new(5000, Protocol.UDP),
        new(6379, Protocol.TCP), new(8000, Protocol.TCP), new(8080, Protocol.TCP),
    ];

    /// <summary>Outside addresses: one inside the CIDR variant's 203.0.113.0/24, public web and DNS servers, a documentation address.</summary>
    public static readonly string[] OutsideAddresses = ["203.0.113.9", "198.51.100.7", "93.184.216.34", "8.8.8.8"];

    public static Cluster Pods() => Scenario.Create()
        .Namespace("default")
        .Namespace("foo")
        .Namespace("secondary")
        .Namespace("prod", "purpose=production")
        .Namespace("dev", "purpose=testing")
        .Namespace("other", "team=operations")
        .Namespace("ops-second", "team=operations")
        .Namespace("operations")
        .Namespace("kube-system")
        .Pods("""
            default/web app=web ip=10.1.0.1 port=http:80
            default/apiserver app=apiserver ip=10.1.0.2 port=http:8000 port=metrics:5000
            default/bookstore-api app=bookstore role=api ip=10.1.0.3 port=http:80
            default/bookstore-frontend app=bookstore role=frontend ip=10.1.0.4
            default/bookstore-search app=bookstore role=search ip=10.1.0.5
            default/bookstore-db app=bookstore role=db ip=10.1.0.6 port=redis:6379
            default/bookstore-only app=bookstore ip=10.1.0.7
            default/catalog app=inventory role=web ip=10.1.0.8
            default/inventory-only app=inventory ip=10.1.0.9
            default/foo app=foo ip=10.1.0.10
            default/role-monitoring role=monitoring ip=10.1.0.11
            default/type-monitoring type=monitoring ip=10.1.0.12
            default/no-app ip=10.1.0.13
            default/other-app app=other ip=10.1.0.14 port=http:8080
            foo/client ip=10.2.0.1
            foo/web app=web ip=10.2.0.2 port=http:80
            secondary/client ip=10.3.0.1
            secondary/web app=web ip=10.3.0.2 port=http:80
            secondary/bookstore-search app=bookstore role=search ip=10.3.0.3
            secondary/catalog app=inventory role=web ip=10.3.0.4
            secondary/foo app=foo ip=10.3.0.5
            secondary/role-monitoring role=monitoring ip=10.3.0.6
            prod/client ip=10.4.0.1
            dev/client ip=10.5.0.1
            other/type-monitoring type=monitoring ip=10.6.0.1
            other/batch type=batch ip=10.6.0.2
            ops-second/type-monitoring type=monitoring ip=10.7.0.1
            operations/type-monitoring type=monitoring ip=10.8.0.1
            kube-system/kube-dns k8s-app=kube-dns ip=10.9.0.10 port=dns:53/UDP port=dns-tcp:53/TCP
            kube-system/metrics-server k8s-app=metrics-server ip=10.9.0.11
            """)
        .Build().Evaluator.Cluster;
}
