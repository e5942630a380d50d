using System.Text.Encodings.Web;
using System.Text.Json;

namespace PolicyGen.Workloads;

/// <summary>
/// Writes a generated cluster as one <c>kind: List</c>, the way
/// <c>kubectl get pods,ns,netpol,deploy,rs -A -o json</c> (or <c>-o yaml</c>) prints it: full
/// objects with managedFields, status, volumes, env and owner references (see
/// <see cref="KubectlObjects"/>). The pods, namespaces and policies are those of the plain output,
/// so both give the same reachability; the Deployments and ReplicaSets come on top, as in a real dump.
/// </summary>
public static class KubectlDump
{
    /// <summary>The file name under manifests/ for a format.</summary>
    public static string FileName(KubectlFormat format) => format == KubectlFormat.Json ? "cluster.json" : "cluster.yaml";

    public static void Write(Workload workload, StreamWriter writer, KubectlFormat format)
    {
        var objects = new KubectlObjects(workload);
        if (format == KubectlFormat.Yaml)
        {
            writer.Write("apiVersion: v1\nitems:\n");
            foreach (var item in objects.All())
            {
                KubectlYaml.WriteMapping(writer, item, 2, "- ");
            }

            writer.Write("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
            return;
        }

        // kubectl indents JSON by four spaces and escapes only what JSON requires.
        writer.Flush();
        var stream = writer.BaseStream;
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 4,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteString("apiVersion", "v1");
        json.WriteStartArray("items");
        foreach (var item in objects.All())
        {
            item.WriteTo(json);
            if (json.BytesPending > 1 << 16)
            {
                json.Flush();
            }
        }

        json.WriteEndArray();
        json.WriteString("kind", "List");
        json.WriteStartObject("metadata");
        json.WriteString("resourceVersion", "");
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }
}
