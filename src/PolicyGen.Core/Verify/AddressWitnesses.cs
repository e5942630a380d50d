using System.Collections.Immutable;
using System.Net;
using PolicyGen.Intent;
using PolicyGen.Model;

namespace PolicyGen.Verify;

/// <summary>
/// The address witnesses: addresses in, at the edges of and just outside every network, API
/// server block and policy ipBlock, plus outside addresses and those named in <c>expect:</c>.
/// A type of its own because CIDR arithmetic (<see cref="UInt128"/>) keeps a method from being
/// precompiled (ReadyToRun).
/// </summary>
internal static class AddressWitnesses
{
    /// <summary>Addresses outside the usual private ranges, to catch rules that allow more than their networks.</summary>
    private static readonly string[] OutsideAddresses = ["192.0.2.1", "198.51.100.250", "203.0.113.250", "8.8.8.8", "2001:db8::1"];

    public static void Add(NetworkIntent intent, List<(IpBlock Block, string Display)> policyBlocks, List<Witness> witnesses)
    {
        var addresses = new List<(IPAddress Address, string Display)>();
        foreach (var network in intent.Networks)
        {
            AddAddresses(network.Blocks, WrittenPeer.Text(new NetworkPeer(network.Name)), addresses);
        }

        if (intent.ApiServer is { } api)
        {
            AddAddresses(api.Blocks, WrittenPeer.Text(new ApiServerPeer()), addresses);
        }

        foreach (var (ipBlock, display) in policyBlocks)
        {
            if (Block(ipBlock) is { } block)
            {
                AddAddresses([block], display, addresses);
            }
        }

        addresses.AddRange(OutsideAddresses.Select(a => (IPAddress.Parse(a), "an address outside every network")));
        addresses.AddRange(intent.Expectations.SelectMany(e => new[] { e.From.Address, e.To.Address }).OfType<IPAddress>().Select(a => (a, ExpectedDisplay(intent, a))));
        foreach (var (address, display) in addresses.DistinctBy(a => a.Address))
        {
            witnesses.Add(new Witness(display, null, address, null));
        }
    }

    /// <summary>An address named in <c>expect:</c>, shown as the network or API server it falls in, else as itself.</summary>
    private static string ExpectedDisplay(NetworkIntent intent, IPAddress address)
        => intent.Networks.FirstOrDefault(n => n.Blocks.Any(b => b.Contains(address))) is { } network ? WrittenPeer.Text(new NetworkPeer(network.Name))
            : intent.ApiServer is { } api && api.Blocks.Any(b => b.Contains(address)) ? WrittenPeer.Text(new ApiServerPeer())
            : address.ToString();

    private static CidrBlock? Block(IpBlock ipBlock)
    {
        if (!Cidr.TryParse(ipBlock.Cidr, out var cidr, out _))
        {
            return null;
        }

        var except = ImmutableArray.CreateBuilder<Cidr>();
        foreach (var text in ipBlock.Except)
        {
            if (Cidr.TryParse(text, out var e, out _))
            {
                except.Add(e);
            }
        }

        return new CidrBlock(cidr, except.ToImmutable());
    }

    /// <summary>Addresses at the edges of each block and of each except, inside and just outside.</summary>
    private static void AddAddresses(ImmutableArray<CidrBlock> blocks, string display, List<(IPAddress, string)> addresses)
    {
        foreach (var block in blocks)
        {
            var candidates = new List<UInt128> { block.Cidr.Network, block.Cidr.Last };
            foreach (var except in block.Except)
            {
                candidates.AddRange([except.Network, except.Last, except.Network - 1, except.Last + 1]);
            }

            if (block.Cidr.Network > 0)
            {
                candidates.Add(block.Cidr.Network - 1);
            }

            var max = block.Cidr.Family == System.Net.Sockets.AddressFamily.InterNetwork ? (UInt128)uint.MaxValue : UInt128.MaxValue;
            if (block.Cidr.Last < max)
            {
                candidates.Add(block.Cidr.Last + 1);
            }

            foreach (var value in candidates.Distinct())
            {
                var address = Cidr.ToAddress(block.Cidr.Family, value);
                addresses.Add((address, block.Contains(address) ? display : $"an address just outside {display}"));
            }
        }
    }
}
