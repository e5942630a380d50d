using System.Text.Json;

namespace PolicyGen.Cli.Tests;

/// <summary>
/// <c>npgen eval --port NAME[/PROTO]</c> resolves the name on the destination pod (S7.4), so one name
/// means different numbers on different pods; <c>npgen matrix --address</c> and
/// <c>--ipblock-addresses</c> show outside addresses as rows and columns.
/// </summary>
public sealed class NamedPortAndAddressCliTests : IDisposable
{
    // Two servers name their port "http" with different numbers; the policy allows "http" to both.
    private const string Cluster = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: a}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: a, labels: {app: client}}
        spec: {containers: [{name: c, image: i}]}
        status: {podIP: 10.1.0.1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: b1, namespace: a, labels: {app: server}}
        spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]}]}
        status: {podIP: 10.1.0.2}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: b2, namespace: a, labels: {app: server}}
        spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 9090}]}]}
        status: {podIP: 10.1.0.3}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: server, namespace: a}
        spec:
          podSelector: {matchLabels: {app: server}}
          ingress: [{ports: [{port: http}]}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: client, namespace: a}
        spec:
          podSelector: {matchLabels: {app: client}}
          policyTypes: [Egress]
          egress:
          - to: [{ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.128/25]}}]
            ports: [{port: 443}]
          - to: [{podSelector: {matchLabels: {app: server}}}]
        """;

    private readonly string temp = Directory.CreateTempSubdirectory("npgen-named-").FullName;
    private readonly string file;

    public NamedPortAndAddressCliTests()
    {
        file = Path.Combine(temp, "cluster.yaml");
        File.WriteAllText(file, Cluster);
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void A_named_port_is_resolved_on_each_destination_pod_to_its_own_number()
    {
        var b1 = Npgen.Run("eval", "-f", file, "--from", "a/client", "--to", "a/b1", "--port", "http");
        Assert.True(b1.ExitCode == 0, b1.ToString());
        Assert.StartsWith("a/client -> a/b1 8080/TCP: ALLOWED", b1.StdOut, StringComparison.Ordinal);
        Assert.Contains("port http/TCP is 8080/TCP on a/b1", b1.StdErr, StringComparison.Ordinal);

        var b2 = Npgen.Run("eval", "-f", file, "--from", "a/client", "--to", "a/b2", "--port", "http", "-o", "json");
        Assert.True(b2.ExitCode == 0, b2.ToString());
        using var json = JsonDocument.Parse(b2.StdOut);
        Assert.Equal(9090, json.RootElement.GetProperty("port").GetInt32());
        Assert.True(json.RootElement.GetProperty("allowed").GetBoolean());

        // The number of the other pod's http is not http on b2: the policy denies it there.
        var other = Npgen.Run("eval", "-f", file, "--from", "a/client", "--to", "a/b2", "--port", "8080");
        Assert.StartsWith("a/client -> a/b2 8080/TCP: DENIED", other.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_a_protocol_needs_that_protocol_and_an_unresolved_name_names_the_pods_ports()
    {
        var udp = Npgen.Run("eval", "-f", file, "--from", "a/client", "--to", "a/b1", "--port", "dns/UDP");
        Assert.True(udp.ExitCode == 0, udp.ToString());
        Assert.StartsWith("a/client -> a/b1 53/UDP: DENIED", udp.StdOut, StringComparison.Ordinal);

        var tcp = Npgen.Run("eval", "-f", file, "--from", "a/client", "--to", "a/b1", "--port", "dns");
        Assert.True(tcp.ExitCode == 2, tcp.ToString());
        Assert.Contains("error NPG880: --port dns/TCP: a/b1 (Pod) has no TCP container port named dns (dns is 53/UDP: add /UDP); its named ports: http=8080/TCP, dns=53/UDP", tcp.StdErr, StringComparison.Ordinal);

        var missing = Npgen.Run("eval", "-f", file, "--from", "a/client", "--to", "a/b2", "--port", "metrics");
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("a/b2 (Pod) has no TCP container port named metrics; its named ports: http=9090/TCP", missing.StdErr, StringComparison.Ordinal);

        var outside = Npgen.Run("eval", "-f", file, "--from", "a/client", "--to", "203.0.113.7", "--port", "http");
        Assert.True(outside.ExitCode == 2, outside.ToString());
        Assert.Contains("203.0.113.7 is no pod's address", outside.StdErr, StringComparison.Ordinal);

        var bad = Npgen.Run("eval", "-f", file, "--from", "a/client", "--to", "a/b1", "--port", "Not_A_Name");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("is not a port", bad.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_shows_outside_addresses_as_rows_and_columns()
    {
        var csv = Npgen.Run("matrix", "-f", file, "-p", "443", "--address", "203.0.113.7", "--address", "203.0.113.200", "-o", "csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Contains("a/client,203.0.113.7,443,TCP,true,true,true\n", csv.StdOut, StringComparison.Ordinal);
        Assert.Contains("a/client,203.0.113.200,443,TCP,false,true,false\n", csv.StdOut, StringComparison.Ordinal);
        // As a client, an outside address meets only the server's ingress side: b1 accepts only http.
        Assert.Contains("203.0.113.7,a/b1,443,TCP,false,false,true\n", csv.StdOut, StringComparison.Ordinal);
        Assert.Contains("203.0.113.7,a/client,443,TCP,true,true,true\n", csv.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113.7,203.0.113.200", csv.StdOut, StringComparison.Ordinal);

        var table = Npgen.Run("matrix", "-f", file, "-p", "443", "--ipblock-addresses");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("from\\to        a/b1  a/b2  a/client  203.0.113.0  203.0.113.128\n", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("a/client       X     X     .         .            X\n", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("203.0.113.0    X     X     .         -            -\n", table.StdOut, StringComparison.Ordinal);

        var json = Npgen.Run("matrix", "-f", file, "-p", "443", "--address", "203.0.113.7", "-o", "json");
        using var document = JsonDocument.Parse(json.StdOut);
        Assert.Equal("203.0.113.7", document.RootElement.GetProperty("addresses")[0].GetString());
        Assert.Contains(document.RootElement.GetProperty("addressResults").EnumerateArray(),
            r => r.GetProperty("from").GetString() == "a/client" && r.GetProperty("to").GetString() == "203.0.113.7" && r.GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public void Matrix_refuses_an_address_that_is_not_one()
    {
        var run = Npgen.Run("matrix", "-f", file, "--address", "203.0.113");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("error NPG881: --address \"203.0.113\" is not an IP address", run.StdErr, StringComparison.Ordinal);
    }
}
