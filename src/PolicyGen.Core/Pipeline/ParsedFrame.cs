using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using PolicyGen.Compile;
using PolicyGen.Diagnostics;
using PolicyGen.Manifests;
using PolicyGen.Model;
using PolicyGen.Yaml;

namespace PolicyGen.Pipeline;

/// <summary>
/// A trusted frame (<see cref="RenderFrame"/>) read back once, by the same reader as any rendered
/// policy, with a token in place of each value; the NetworkPolicy of a plan filled from that frame
/// is then the frame's reading with the plan's values put back, instead of a parse of its text.
/// It gives exactly what reading the text gives because every value is one whose reading does not
/// depend on what it is: a value inside a quoted run is written by <see cref="YamlQuoting.Quote"/>,
/// which reads back as that very string (never as a number, boolean, null or more structure); a
/// value printed raw must be a plain decimal integer, read as that integer where the token was. A
/// plan with any other value, non-ASCII text (columns), a quoted run longer than YAML allows a key to
/// be, or keys that would collide, is read from its text (<see cref="Read"/> returns null), and so is
/// a frame whose reading has any diagnostic or puts a token where this class cannot follow it.
/// </summary>
internal sealed class ParsedFrame
{
    /// <summary>Around a value's number inside a quoted run of the probe text: private-use characters no template writes.</summary>
    private const char TokenStart = '\uE000';
    private const char TokenEnd = '\uE001';

    /// <summary>A value printed raw is probed as this plus its number: a plain decimal integer, as the value must be.</summary>
    private const int RawBase = 1_000_000_000;

    /// <summary>The digits every raw token starts with: a string that holds them may hold a raw token, which this class does not follow.</summary>
    private const string RawDigits = "100000";

    /// <summary>YAML ends a simple key after 1,024 characters: a longer quoted run could read differently as a key, so the plan is parsed.</summary>
    private const int MaxQuotedLength = 1000;

    private readonly RenderFrame frame;
    private readonly NetworkPolicy probe;
    private readonly int[] probeStarts;
    private readonly int[] lineStarts;
    private readonly (int Part, int Delta)[] lineParts;
    private readonly int[] rawValues;
    private readonly int[] quotedValues;

    /// <summary>The probe's field locations, placed once: a plan's column is then arithmetic on its part starts.</summary>
    private readonly PlacedLocation[] fieldLocations;

    /// <summary>Whether some field path holds a value (a label key): two paths could then become one.</summary>
    private readonly bool pathsHoldValues;

    private ParsedFrame(RenderFrame frame, NetworkPolicy probe, int[] probeStarts, int[] lineStarts, (int, int)[] lineParts, int[] rawValues, int[] quotedValues)
    {
        this.frame = frame;
        this.probe = probe;
        this.probeStarts = probeStarts;
        this.lineStarts = lineStarts;
        this.lineParts = lineParts;
        this.rawValues = rawValues;
        this.quotedValues = quotedValues;
        fieldLocations = new PlacedLocation[probe.FieldLocations.Count];
        var i = 0;
        foreach (var (path, at) in probe.FieldLocations)
        {
            var hasToken = path.Contains(TokenStart, StringComparison.Ordinal);
            pathsHoldValues |= hasToken;
            fieldLocations[i++] = TryPlace(at, out var placed) ? placed with { Path = path, PathHasToken = hasToken } : default;
        }
    }

    /// <summary>Where a node of the frame's reading starts in terms of parts; false if it starts inside a value (not one this class can place).</summary>
    private bool TryPlace(SourceLocation at, out PlacedLocation placed)
    {
        placed = default;
        if (at.Line < 1 || at.Line > lineStarts.Length)
        {
            return false;
        }

        var offset = lineStarts[at.Line - 1] + at.Column - 1;
        var part = PartAt(probeStarts, offset);
        var delta = offset - probeStarts[part];
        if (delta != 0 && !frame.IsText(part))
        {
            return false;
        }

        var (linePart, lineDelta) = lineParts[at.Line - 1];
        placed = new PlacedLocation(null, false, at.Line, part, delta, linePart, lineDelta);
        return true;
    }

    /// <summary>Every field location could be placed.</summary>
    private bool AllPlaced()
    {
        foreach (var placed in fieldLocations)
        {
            if (placed.Path is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A field location of the probe: its path, its line, and its column as the start of a part plus a delta, from its line's start likewise.</summary>
    private readonly record struct PlacedLocation(string? Path, bool PathHasToken, int Line, int Part, int Delta, int LinePart, int LineDelta)
    {
        public int Column(FrameFill fill) => fill.Starts[Part] + Delta - (fill.Starts[LinePart] + LineDelta) + 1;
    }

    /// <summary>The frame's reading, or null if plans filled from it must be parsed (see the class summary).</summary>
    public static ParsedFrame? Of(RenderFrame frame)
    {
        var starts = new int[frame.TopPartCount + 1];
        var raw = new SortedSet<int>();
        var quoted = new SortedSet<int>();
        var tokens = 0;
        var text = frame.Fill((value, inQuotes) =>
        {
            (inQuotes ? quoted : raw).Add(value);
            tokens += inQuotes ? 1 : 0;
            return inQuotes ? Token(value) : (RawBase + value).ToString(CultureInfo.InvariantCulture);
        }, starts, nestedQuotes: false);

        // Only '\n' breaks lines in a frame this class reads, so the renderer's finishing adds at most a final newline.
        // A template's own text holding a token mark or raw digits would be taken for a value.
        if (text is null || text.AsSpan().IndexOfAny(OtherLineBreaks) >= 0 || text.AsSpan().Count(TokenStart) != tokens
            || text.AsSpan().Count(TokenEnd) != tokens || TextHoldsRawDigits(frame, text, starts))
        {
            return null;
        }

        var loaded = ManifestLoader.LoadText("frame", FrameCache.Finish(text)!);
        if (!loaded.Diagnostics.IsEmpty || !loaded.Skipped.IsEmpty || !loaded.Unmodeled.IsEmpty || loaded.Cluster.Policies.Length != 1
            || !loaded.Cluster.Endpoints.IsEmpty || !Followable(loaded.Cluster.Policies[0]))
        {
            return null;
        }

        var lines = LineStarts(text);
        var lineParts = new (int, int)[lines.Length];
        for (var line = 0; line < lines.Length; line++)
        {
            var part = PartAt(starts, lines[line]);
            lineParts[line] = (part, lines[line] - starts[part]);
        }

        var parsed = new ParsedFrame(frame, loaded.Cluster.Policies[0], starts, lines, lineParts, [.. raw], [.. quoted]);

        // A field that starts inside a value cannot be placed for any plan: every plan of the frame is parsed.
        return parsed.AllPlaced() ? parsed : null;
    }

    /// <summary>
    /// The NetworkPolicy that reading the plan's text (named <paramref name="file"/> in locations)
    /// gives, or null if the plan must be read from its text.
    /// </summary>
    public NetworkPolicy? Read(FrameFill fill, string file)
    {
        if (!ReferenceEquals(fill.Frame, frame) || !Safe(fill))
        {
            return null;
        }

        var with = new Substitution(this, fill, file);
        return with.Policy(probe);
    }

    private static string Token(int value) => TokenStart + value.ToString(CultureInfo.InvariantCulture) + TokenEnd;

    private static readonly System.Buffers.SearchValues<char> OtherLineBreaks =
        System.Buffers.SearchValues.Create(['\r', '\f', '\u0085', '\u2028', '\u2029']);

    private static bool TextHoldsRawDigits(RenderFrame frame, string text, int[] starts)
    {
        for (var part = 0; part < frame.TopPartCount; part++)
        {
            var span = text.AsSpan(starts[part], starts[part + 1] - starts[part]);
            if (frame.IsText(part) && span.Contains(RawDigits, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every plan value is one whose reading does not depend on what it is (see the class summary).</summary>
    private bool Safe(FrameFill fill)
    {
        foreach (var value in rawValues)
        {
            if (value >= fill.Values.Count || !PlainInteger(fill.Values[value]))
            {
                return false;
            }
        }

        foreach (var value in quotedValues)
        {
            if (value >= fill.Values.Count || !Ascii.IsValid(fill.Values[value]))
            {
                return false;
            }
        }

        for (var part = 0; part < frame.TopPartCount; part++)
        {
            if (!frame.IsText(part) && fill.Starts[part + 1] - fill.Starts[part] > MaxQuotedLength)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A decimal integer as .NET prints one: YAML reads it as that number wherever it stands.</summary>
    private static bool PlainInteger(string text)
        => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && number.ToString(CultureInfo.InvariantCulture) == text;

    /// <summary>Raw tokens are followed only where the reader made numbers of them (ports): not inside any string.</summary>
    private static bool Followable(NetworkPolicy policy)
    {
        var strings = new List<string?> { policy.Namespace, policy.Name };
        strings.AddRange(policy.Labels.Keys.Concat(policy.Labels.Values).Concat(policy.Annotations.Keys).Concat(policy.Annotations.Values));
        strings.AddRange(policy.FieldLocations.Keys);
        strings.AddRange(policy.PolicyTypes ?? []);
        AddSelector(strings, policy.PodSelector);
        foreach (var rule in policy.Ingress.Concat(policy.Egress))
        {
            foreach (var peer in rule.Peers)
            {
                AddSelector(strings, peer.PodSelector);
                AddSelector(strings, peer.NamespaceSelector);
                strings.Add(peer.IpBlock?.Cidr);
                strings.AddRange(peer.IpBlock?.Except ?? []);
            }

            foreach (var port in rule.Ports)
            {
                strings.Add(port.Protocol);
                strings.Add(port.Port?.Name);
            }
        }

        return !strings.Any(s => s is not null && s.Contains(RawDigits, StringComparison.Ordinal));
    }

    private static void AddSelector(List<string?> strings, LabelSelector? selector)
    {
        if (selector is null)
        {
            return;
        }

        strings.AddRange(selector.MatchLabels.Keys.Concat(selector.MatchLabels.Values));
        foreach (var requirement in selector.MatchExpressions)
        {
            strings.Add(requirement.Key);
            strings.Add(requirement.Operator);
            strings.AddRange(requirement.Values);
        }
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var at = text.IndexOf('\n'); at >= 0 && at + 1 < text.Length; at = text.IndexOf('\n', at + 1))
        {
            starts.Add(at + 1);
        }

        return [.. starts];
    }

    /// <summary>The last part that starts at or before the offset.</summary>
    private static int PartAt(int[] starts, int offset)
    {
        var found = Array.BinarySearch(starts, 0, starts.Length - 1, offset);
        if (found >= 0)
        {
            // Parts never have empty text, so two parts cannot start at the same offset (but the end can).
            return found;
        }

        return Math.Max(0, ~found - 1);
    }

    /// <summary>One plan's values put into the frame's reading.</summary>
    private sealed class Substitution(ParsedFrame frame, FrameFill fill, string file)
    {
        private readonly StringBuilder text = new();
        private bool failed;

        public NetworkPolicy? Policy(NetworkPolicy probe)
        {
            var policy = probe with
            {
                Namespace = Text(probe.Namespace),
                Name = Text(probe.Name),
                Labels = Map(probe.Labels),
                Annotations = Map(probe.Annotations),
                PodSelector = Selector(probe.PodSelector)!,
                PolicyTypes = probe.PolicyTypes is { } types ? Texts(types) : null,
                Ingress = Rules(probe.Ingress),
                Egress = Rules(probe.Egress),
                Location = probe.Location is { } at ? Location(at) : null,
                FieldLocations = Locations(),
            };
            return failed ? null : policy;
        }

        /// <summary>The field locations in the plan's text; two paths that become one make the text read differently, so the plan is parsed.</summary>
        private ImmutableDictionary<string, SourceLocation> Locations()
        {
            var locations = ImmutableDictionary.CreateBuilder<string, SourceLocation>(StringComparer.Ordinal);
            foreach (var placed in frame.fieldLocations)
            {
                var key = placed.PathHasToken ? Text(placed.Path!) : placed.Path!;
                if (frame.pathsHoldValues && locations.ContainsKey(key))
                {
                    failed = true;
                    continue;
                }

                locations.Add(key, new SourceLocation(file, placed.Line, placed.Column(fill)));
            }

            return locations.ToImmutable();
        }

        /// <summary>Where a node of the frame's reading starts in the plan's text: the same line, the column moved by the values before it.</summary>
        private SourceLocation Location(SourceLocation at)
        {
            if (at.Line < 1 || at.Line > frame.lineStarts.Length)
            {
                failed = true;
                return at;
            }

            var offset = frame.lineStarts[at.Line - 1] + at.Column - 1;
            var part = PartAt(frame.probeStarts, offset);
            var delta = offset - frame.probeStarts[part];
            if (delta != 0 && !frame.frame.IsText(part))
            {
                failed = true; // a node that starts inside a value: not one this class can place
                return at;
            }

            var (linePart, lineDelta) = frame.lineParts[at.Line - 1];
            var lineStart = fill.Starts[linePart] + lineDelta;
            return new SourceLocation(file, at.Line, fill.Starts[part] + delta - lineStart + 1);
        }

        private string Text(string probe)
        {
            var at = probe.IndexOf(TokenStart);
            if (at < 0)
            {
                return probe;
            }

            text.Clear();
            var from = 0;
            while (at >= 0)
            {
                var end = probe.IndexOf(TokenEnd, at);
                if (end < 0 || !int.TryParse(probe.AsSpan(at + 1, end - at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                    || value >= fill.Values.Count)
                {
                    failed = true;
                    return probe;
                }

                text.Append(probe, from, at - from).Append(fill.Values[value]);
                from = end + 1;
                at = probe.IndexOf(TokenStart, from);
            }

            return text.Append(probe, from, probe.Length - from).ToString();
        }

        private ImmutableArray<string> Texts(ImmutableArray<string> probe)
        {
            var builder = ImmutableArray.CreateBuilder<string>(probe.Length);
            foreach (var item in probe)
            {
                builder.Add(Text(item));
            }

            return builder.MoveToImmutable();
        }

        private int? Number(int? probe)
            => probe is not { } number || number < RawBase || number - RawBase >= fill.Values.Count ? probe
                : int.Parse(fill.Values[number - RawBase], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        /// <summary>A map with its values put in; two keys that become one would make the text read differently, so the plan is parsed.</summary>
        private ImmutableSortedDictionary<string, string> Map(ImmutableSortedDictionary<string, string> probe)
        {
            if (probe.IsEmpty)
            {
                return probe;
            }

            var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in probe)
            {
                builder[Text(key)] = Text(value);
            }

            failed |= builder.Count != probe.Count;
            return builder.ToImmutable();
        }

        private LabelSelector? Selector(LabelSelector? probe)
        {
            if (probe is null || probe.IsEmpty)
            {
                return probe;
            }

            return new LabelSelector
            {
                MatchLabels = Map(probe.MatchLabels),
                MatchExpressions = [.. probe.MatchExpressions.Select(e => new LabelSelectorRequirement(Text(e.Key), Text(e.Operator), Texts(e.Values)))],
            };
        }

        private ImmutableArray<PolicyRule> Rules(ImmutableArray<PolicyRule> probe)
        {
            var rules = ImmutableArray.CreateBuilder<PolicyRule>(probe.Length);
            foreach (var rule in probe)
            {
                rules.Add(new PolicyRule
                {
                    Peers = [.. rule.Peers.Select(Peer)],
                    Ports = [.. rule.Ports.Select(Port)],
                });
            }

            return rules.MoveToImmutable();
        }

        private PolicyPeer Peer(PolicyPeer probe) => new()
        {
            PodSelector = Selector(probe.PodSelector),
            NamespaceSelector = Selector(probe.NamespaceSelector),
            IpBlock = probe.IpBlock is { } block ? new IpBlock(Text(block.Cidr), Texts(block.Except)) : null,
        };

        private PolicyPort Port(PolicyPort probe) => new()
        {
            Protocol = probe.Protocol is { } protocol ? Text(protocol) : null,
            Port = probe.Port switch
            {
                { Number: { } number } => IntOrString.FromNumber(Number(number)!.Value),
                { Name: { } name } => IntOrString.FromName(Text(name)),
                _ => null,
            },
            EndPort = Number(probe.EndPort),
        };
    }
}
