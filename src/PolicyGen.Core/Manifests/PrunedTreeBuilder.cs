using System.Collections.Immutable;
using YamlDotNet.Core;

namespace PolicyGen.Manifests;

/// <summary>
/// Builds the located node tree of one document from a stream of parse events (JSON tokens or YAML
/// events), keeping only the nodes <see cref="ManifestFieldInterest"/> names: the loader's
/// conversion then sees the same nodes, at the same lines and columns, as in the full tree, and
/// nothing else. The reader driving it asks <see cref="WantsValue"/> before each value and skips the
/// value itself when it is not wanted (then calls <see cref="Skipped"/>).
/// </summary>
internal sealed class PrunedTreeBuilder(string file)
{
    /// <summary>Mappings with more keys than this check duplicates with a hash set instead of a scan.</summary>
    private const int LinearKeyCheck = 8;

    private readonly List<Frame> frames = [];
    private readonly List<KeyValuePair<ScalarNode, SourceNode>> entryStack = [];
    private readonly List<SourceNode> itemStack = [];
    private readonly List<(string? Tag, string Name)> keyStack = [];
    private int top = -1;
    private FieldInterest? next;

    public SourceNode? Document { get; private set; }

    /// <summary>True when the next event is a key of a mapping being built.</summary>
    public bool AtKey => top >= 0 && frames[top].IsMapping && frames[top].ExpectKey;

    /// <summary>True when the next value is to be built; false: skip it, then call <see cref="Skipped"/>.</summary>
    public bool WantsValue => next is not null;

    /// <summary>True when the next event is a value (not a key) that is not to be built.</summary>
    public bool SkipsNextValue => next is null && top >= 0 && !(frames[top].IsMapping && frames[top].ExpectKey);

    public bool Done => Document is not null;

    /// <summary>
    /// When set, told each item of the document's top-level List as soon as the item ends, with its
    /// index, instead of keeping it in the tree: its conversion then need not wait for the List's
    /// <c>kind</c>, which kubectl prints after <c>items</c>, and the item's nodes die young. Only items
    /// that name their own apiVersion and kind are handed out (what a typed list would lend them does
    /// not matter then), and only while no earlier item was kept, so items reach the loader in order.
    /// The loader checks, once the document ends, that it was a List after all.
    /// </summary>
    public Action<MappingNode, int>? ListItemReady { get; set; }

    /// <summary>How many items of the current document's top-level List went to <see cref="ListItemReady"/>.</summary>
    public int ListItemsHandedOut { get; private set; }

    public void StartDocument()
    {
        ListItemsHandedOut = 0;
        top = -1;
        entryStack.Clear();
        itemStack.Clear();
        keyStack.Clear();
        Document = null;
        next = FieldInterest.KubernetesObject;
    }

    public enum KeyVerdict
    {
        Skip,
        Keep,
        Duplicate,
    }

    /// <summary>A key of the mapping being built; says whether its value is wanted (then call <see cref="KeyAt"/>).</summary>
    public KeyVerdict Key(string name, string? tag, ScalarStyle style)
    {
        var frame = frames[top];
        if (IsDuplicate(frame, tag, name))
        {
            return KeyVerdict.Duplicate;
        }

        keyStack.Add((tag, name));
        frame.ExpectKey = false;
        frame.PendingName = name;
        frame.PendingTag = tag;
        frame.PendingStyle = style;
        frame.PendingKey = null;
        next = frame.Interest.IsWhole ? FieldInterest.Whole
            : tag is not null ? null // the loader looks up untagged keys only
            : frame.Interest.IsObject ? ObjectField(frame, name)
            : frame.Interest.Field(name);
        return next is null ? KeyVerdict.Skip : KeyVerdict.Keep;
    }

    public void KeyAt(int line, int column)
    {
        var frame = frames[top];
        frame.PendingKey = new ScalarNode(frame.PendingName!, frame.PendingStyle, frame.PendingTag, file, line, column);
    }

    public void Scalar(string value, ScalarStyle style, string? tag, int line, int column)
        => Attach(new ScalarNode(value, style, tag, file, line, column));

    public void StartMapping(int line, int column, bool flow) => Push(true, line, column, flow);

    public void StartSequence(int line, int column, bool flow) => Push(false, line, column, flow);

    /// <summary>The value asked for was skipped.</summary>
    public void Skipped() => AfterValue();

    /// <summary>Ends the mapping or list being built.</summary>
    public void End()
    {
        var frame = frames[top--];
        SourceNode node;
        if (frame.IsMapping)
        {
            keyStack.RemoveRange(frame.KeysFrom, keyStack.Count - frame.KeysFrom);
            var map = new MappingNode(NodeStack.Pop(entryStack, frame.From), file, frame.Line, frame.Column) { Flow = frame.Flow };
            if (frame.Interest.IsObject && frame.PrunedAs is not null && frame.PrunedAs != EffectiveGroupKind(frame))
            {
                throw new FullReadRequired("an object's kind differs from the one its fields were read for");
            }

            if (ListItemReady is not null && IsTopLevelListItemWithOwnKind(frame))
            {
                ListItemReady(map, ListItemsHandedOut++);
                AfterValue();
                return;
            }

            node = map;
        }
        else
        {
            node = new SequenceNode(NodeStack.Pop(itemStack, frame.From), file, frame.Line, frame.Column) { Flow = frame.Flow };
        }

        Attach(node);
    }

    /// <summary>An item (just ended) of the items of a top-level object, naming its own apiVersion and kind, with no earlier item kept.</summary>
    private bool IsTopLevelListItemWithOwnKind(Frame item)
        => item.Interest.IsObject && item.ApiVersion is not null && item.Kind is not null
            && top == 1 && frames[1] is { IsMapping: false, Interest.IsObjectList: true } list && frames[0] is { IsMapping: true, Interest.IsObject: true }
            && itemStack.Count == list.From;

    private void Push(bool mapping, int line, int column, bool flow)
    {
        var interest = next!;
        var parent = top >= 0 ? frames[top] : null;
        if (++top == frames.Count)
        {
            frames.Add(new Frame());
        }

        var frame = frames[top];
        frame.IsMapping = mapping;
        frame.Interest = interest;
        frame.Line = line;
        frame.Column = column;
        frame.Flow = flow;
        frame.From = mapping ? entryStack.Count : itemStack.Count;
        frame.KeysFrom = keyStack.Count;
        frame.KeySet?.Clear();
        frame.UseKeySet = false;
        frame.ExpectKey = true;
        frame.ApiVersion = frame.Kind = frame.PrunedAs = null;
        frame.DefaultApiVersion = frame.DefaultKind = null;
        frame.DefaultsUnknown = false;
        if (mapping && interest.IsObject && parent is { IsMapping: false, Interest.IsObjectList: true })
        {
            // An item of a List: a typed list (PodList) lends it the list's apiVersion and kind.
            frame.DefaultApiVersion = parent.DefaultApiVersion;
            frame.DefaultKind = parent.DefaultKind;
            frame.DefaultsUnknown = parent.DefaultsUnknown;
        }
        else if (!mapping && interest.IsObjectList && parent is { IsMapping: true, Interest.IsObject: true })
        {
            var apiVersion = parent.ApiVersion ?? parent.DefaultApiVersion;
            var kind = parent.Kind ?? parent.DefaultKind;
            frame.DefaultsUnknown = apiVersion is null || kind is null || (parent.DefaultsUnknown && (parent.ApiVersion is null || parent.Kind is null));
            if (!frame.DefaultsUnknown && kind!.EndsWith("List", StringComparison.Ordinal) && ManifestFieldInterest.GroupKind(apiVersion!, kind) != "/List")
            {
                frame.DefaultApiVersion = apiVersion;
                frame.DefaultKind = kind[..^"List".Length];
            }
        }

        next = mapping ? null : ItemInterest(frame);
    }

    private static FieldInterest? ItemInterest(Frame frame)
        => frame.Interest.IsWhole ? FieldInterest.Whole
            : frame.Interest.IsObjectList ? FieldInterest.KubernetesObject
            : frame.Interest.Items;

    private void Attach(SourceNode node)
    {
        if (top < 0)
        {
            Document = node;
            next = null;
            return;
        }

        var frame = frames[top];
        if (frame.IsMapping)
        {
            var key = frame.PendingKey ?? throw new InvalidOperationException("a value without its key's location");
            entryStack.Add(new(key, node));
            if (frame.Interest.IsObject && frame.PendingTag is null && node is ScalarNode { IsNull: false } scalar)
            {
                if (frame.PendingName == "apiVersion")
                {
                    frame.ApiVersion = scalar.Value;
                }
                else if (frame.PendingName == "kind")
                {
                    frame.Kind = scalar.Value;
                }
            }
        }
        else
        {
            itemStack.Add(node);
        }

        AfterValue();
    }

    private void AfterValue()
    {
        if (top < 0)
        {
            next = null;
            return;
        }

        var frame = frames[top];
        if (frame.IsMapping)
        {
            frame.ExpectKey = true;
            next = null;
        }
        else
        {
            next = ItemInterest(frame);
        }
    }

    /// <summary>
    /// What to keep of a field of a Kubernetes object: by its kind once apiVersion and kind are
    /// known (they come first in what kubectl and the API server print), the whole field before.
    /// </summary>
    private static FieldInterest? ObjectField(Frame frame, string name)
    {
        if (name is "apiVersion" or "kind")
        {
            return FieldInterest.Whole;
        }

        var groupKind = EffectiveGroupKind(frame);
        if (name == "items" && (groupKind is null || groupKind.EndsWith("List", StringComparison.Ordinal)))
        {
            return FieldInterest.ObjectList;
        }

        if (groupKind is null)
        {
            return FieldInterest.Whole;
        }

        if (frame.PrunedAs is not null && frame.PrunedAs != groupKind)
        {
            throw new FullReadRequired("an object's kind differs from the one its fields were read for");
        }

        frame.PrunedAs = groupKind;
        return ManifestFieldInterest.For(groupKind).Field(name);
    }

    /// <summary>group/Kind as the loader will see it (own apiVersion and kind, else the list's), or null while unknown.</summary>
    private static string? EffectiveGroupKind(Frame frame)
    {
        var apiVersion = frame.ApiVersion ?? frame.DefaultApiVersion;
        var kind = frame.Kind ?? frame.DefaultKind;
        if (apiVersion is null || kind is null || (frame.DefaultsUnknown && (frame.ApiVersion is null || frame.Kind is null)))
        {
            return null;
        }

        return ManifestFieldInterest.GroupKind(apiVersion, kind);
    }

    private bool IsDuplicate(Frame frame, string? tag, string name)
    {
        var count = keyStack.Count - frame.KeysFrom;
        if (!frame.UseKeySet && count < LinearKeyCheck)
        {
            for (var i = frame.KeysFrom; i < keyStack.Count; i++)
            {
                if (keyStack[i].Name == name && keyStack[i].Tag == tag)
                {
                    return true;
                }
            }

            return false;
        }

        if (!frame.UseKeySet)
        {
            frame.KeySet ??= [];
            for (var i = frame.KeysFrom; i < keyStack.Count; i++)
            {
                frame.KeySet.Add(keyStack[i]);
            }

            frame.UseKeySet = true;
        }

        return !frame.KeySet!.Add((tag, name));
    }

    /// <summary>A mapping or list being built (reused: one per depth).</summary>
    private sealed class Frame
    {
        public bool IsMapping { get; set; }
        public FieldInterest Interest { get; set; } = FieldInterest.Whole;
        public int Line { get; set; }
        public int Column { get; set; }
        public bool Flow { get; set; }
        public int From { get; set; }
        public int KeysFrom { get; set; }
        public HashSet<(string? Tag, string Name)>? KeySet { get; set; }
        public bool UseKeySet { get; set; }
        public bool ExpectKey { get; set; }
        public string? PendingName { get; set; }
        public string? PendingTag { get; set; }
        public ScalarStyle PendingStyle { get; set; }
        public ScalarNode? PendingKey { get; set; }

        /// <summary>A Kubernetes object's own apiVersion and kind, once read.</summary>
        public string? ApiVersion { get; set; }
        public string? Kind { get; set; }

        /// <summary>What a typed list lends its items (on the items list, and on each item).</summary>
        public string? DefaultApiVersion { get; set; }
        public string? DefaultKind { get; set; }

        /// <summary>The list's kind was not known when its items began: an item's kind is its own, or unknown.</summary>
        public bool DefaultsUnknown { get; set; }

        /// <summary>The kind the object's fields were chosen for, checked when it ends.</summary>
        public string? PrunedAs { get; set; }
    }
}
