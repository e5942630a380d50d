using System.Collections.Immutable;
using System.Net;
using PolicyGen.Diagnostics;
using PolicyGen.Model;
using static PolicyGen.Intent.IntentKeys;

namespace PolicyGen.Intent;

/// <summary><c>spec.expect</c>: assertions <c>{from, to, port, allowed}</c> the proof checks on every build.</summary>
internal sealed class ExpectationBinder(IntentNodeReader reader, PeerBinder peers)
{
    public ImmutableArray<Expectation> Bind(SourceNode? node, NetworkIntent intent)
    {
        var result = ImmutableArray.CreateBuilder<Expectation>();
        var items = node is null ? [] : reader.Seq(node, "spec.expect");
        for (var i = 0; i < items.Length; i++)
        {
            var what = $"expect[{i}]";
            if (reader.Map(items[i], what, ExpectKeys) is not { } map)
            {
                continue;
            }

            var from = BindEnd(map["from"], $"/spec/expect/{i}/from", what + ".from", map, intent);
            var to = BindEnd(map["to"], $"/spec/expect/{i}/to", what + ".to", map, intent);
            var allowed = reader.Bool(map["allowed"], what + ".allowed");
            if (allowed is null)
            {
                reader.Error(DiagnosticCodes.IntentMissingField, $"{what} has no allowed", map, "add allowed: true or allowed: false");
            }

            if (map["port"] is not { } portNode)
            {
                reader.Error(DiagnosticCodes.IntentMissingField, $"{what} has no port", map, "add port: NAME (a port of the destination app) or port: N/PROTO");
                continue;
            }

            var destination = to?.Peer is AppPeer appPeer ? intent.FindApp(appPeer.App) : null;
            var ports = peers.BindPortRefs(new SequenceNode([portNode], portNode.Location), what + ".port", destination, externalOnly: destination is null);
            if (from is null || to is null || allowed is null || ports.IsEmpty)
            {
                continue;
            }

            result.Add(new Expectation(from, to, new PortRange(ports[0].Protocol, ports[0].Low, ports[0].Low), allowed.Value, IntentNodeReader.Source($"/spec/expect/{i}", map)));
        }

        return result.ToImmutable();
    }

    /// <summary>An end of an assertion: an app's name, an IP address, or any peer.</summary>
    private ExpectationEnd? BindEnd(SourceNode? node, string pointer, string what, SourceNode parent, NetworkIntent intent)
    {
        if (node is null)
        {
            reader.Error(DiagnosticCodes.IntentMissingField, $"{what} is missing", parent, "name an app, an IP address or a peer such as {namespace: monitoring}");
            return null;
        }

        if (node is ScalarNode s)
        {
            if (intent.FindApp(s.Value) is not null)
            {
                return new ExpectationEnd(new AppPeer(s.Value), null, s.Value);
            }

            if (IpAddressText.TryParse(s.Value, out var address))
            {
                return new ExpectationEnd(new AnywherePeer(), address, s.Value);
            }

            reader.Error(DiagnosticCodes.IntentUnknownReference, $"{what}: \"{s.Value}\" is neither an app nor an IP address", node,
                NameSuggestions.AppHint(s.Value, intent));
            return null;
        }

        var peer = peers.Bind(node, pointer, null, intent, out _);
        return peer is null ? null : new ExpectationEnd(peer, null, peer.Display());
    }
}
