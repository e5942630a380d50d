using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using static PolicyGen.Intent.IntentKeys;

namespace PolicyGen.Intent;

/// <summary>
/// The edge keys an app, a namespace and an <c>everyApp</c> share: <c>ingress:</c> (rules
/// <c>{from, ports}</c> or <c>none</c>), <c>calls:</c> and <c>egress: none</c>.
/// </summary>
internal sealed class RuleBinder(IntentNodeReader reader, PeerBinder peers)
{
    /// <summary>
    /// An <c>ingress:</c> key of an app, a namespace or an <c>everyApp</c>: a list of rules
    /// <c>{from, ports}</c>, or <c>none</c> where <paramref name="noneAllowed"/>.
    /// </summary>
    public (List<IngressRuleShape> Rules, bool None, bool Declared) BindIngressShapes(SourceNode? node, string what, string pointer, App? owner,
        NetworkIntent intent, string? ownNamespace = null, bool noneAllowed = true)
    {
        var rules = new List<IngressRuleShape>();
        if (node is ScalarNode { Value: "none" } && noneAllowed)
        {
            return (rules, true, false);
        }

        if (node is null)
        {
            return (rules, false, false);
        }

        var declared = node is SequenceNode or ScalarNode { IsNull: true };
        var items = reader.Seq(node, $"{what}: ingress", noneAllowed ? "a list of rules {from: [...], ports: [...]}, or none" : "a list of rules {from: [...], ports: [...]}");
        for (var i = 0; i < items.Length; i++)
        {
            var rulePointer = $"{pointer}/ingress/{i}";
            if (reader.Map(items[i], $"{what}: ingress[{i}]", IngressRuleKeys) is not { } rule)
            {
                continue;
            }

            if (rule["from"] is not { } fromNode)
            {
                reader.Error(DiagnosticCodes.IntentMissingField, $"{what}: ingress[{i}] has no from", rule,
                    "say who may connect: from: [{app: web}], [{namespace: monitoring}], [{network: office}] or [{anywhere: true}]");
                continue;
            }

            var from = reader.Seq(fromNode, $"{what}: ingress[{i}].from")
                .Select((p, j) => peers.Bind(p, $"{rulePointer}/from/{j}", owner, intent, out _, ownNamespace)).OfType<Peer>().ToImmutableArray();
            rules.Add(new IngressRuleShape(from, rule["ports"], $"{what}: ingress[{i}].ports", IntentNodeReader.Source(rulePointer, rule)));
        }

        return (rules, false, declared);
    }

    /// <summary>A <c>calls:</c> key of an app, a namespace or an <c>everyApp</c>; <c>calls: []</c> isolates egress (DNS only).</summary>
    public (ImmutableArray<Call> Calls, bool Declared) BindCalls(SourceNode? node, string what, string pointer, App? owner, NetworkIntent intent,
        string? ownNamespace = null, (string Code, string Hint)? unresolvable = null)
    {
        var calls = ImmutableArray.CreateBuilder<Call>();
        var callNodes = node is not null ? reader.Seq(node, $"{what}: calls") : [];
        var declared = node is SequenceNode or ScalarNode { IsNull: true };
        for (var i = 0; i < callNodes.Length; i++)
        {
            var callPointer = $"{pointer}/calls/{i}";
            if (peers.Bind(callNodes[i], callPointer, owner, intent, out var portsNode, ownNamespace) is not { } target)
            {
                continue;
            }

            var server = target is AppPeer appPeer ? intent.FindApp(appPeer.App) : null;
            var ports = peers.BindPortRefs(portsNode, $"{what}: calls[{i}].ports", server, externalOnly: server is null, server is null ? unresolvable : null);
            if (portsNode is null && server is not null)
            {
                ports = [.. server.Ports.Select(p => p.Range)]; // a call to an app reaches its declared ports
            }
            else if (portsNode is null && target is ApiServerPeer && intent.ApiServer is { } api)
            {
                ports = api.Ports;
            }

            calls.Add(new Call(target, ports, IntentNodeReader.Source(callPointer, callNodes[i])));
        }

        return (calls.ToImmutable(), declared);
    }

    /// <summary><c>egress: none</c> (true); any other value is an error with <paramref name="hint"/>.</summary>
    public bool BindEgressNone(SourceNode? node, string what, string hint)
    {
        if (node is null)
        {
            return false;
        }

        if (node is ScalarNode { Value: "none" })
        {
            return true;
        }

        reader.Error(DiagnosticCodes.IntentWrongType, $"{what}: egress must be none", node, hint);
        return false;
    }
}
