using System.Security.Cryptography;
using System.Text;
using PolicyGen.Diagnostics;

namespace PolicyGen.Output;

/// <summary>
/// Writes one generated YAML stream to a file (<c>npgen build -o FILE</c>, as <c>kustomize build -o
/// FILE</c>), with the ownership rules of <see cref="OutputDirectoryWriter"/>: an existing file is
/// replaced only when it is npgen's, for this intent and build (another environment's only with
/// <see cref="WriteOptions.ReplaceEnvironment"/>). The file is written to a temporary file beside it,
/// flushed, and renamed over the target, so it is never half-written; a symbolic link at the target
/// or as its directory is refused, never followed, and a FIFO or device there is never opened.
/// </summary>
public static class OutputFileWriter
{
    private const string TempPrefix = ".npgen-tmp-";
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static WriteResult Write(string path, string content, OutputRecord record, WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        var shown = TextEscaping.ForLine(path);
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        if (IsLink(parent) || IsLink(full))
        {
            return Failed(DiagnosticCodes.OutputSymbolicLink,
                $"{shown} {(IsLink(full) ? "is" : "is in")} a symbolic link; npgen never writes through one",
                "write to a path without symbolic links (npgen build -o real/path.yaml)");
        }

        var bytes = Utf8.GetBytes(content);
        var info = new FileInfo(full);
        var replaced = new List<string>();
        if (Directory.Exists(full))
        {
            return Failed(DiagnosticCodes.OutputPathOccupied, $"{shown} is a directory",
                $"end it with / for one file per policy (npgen build -o {shown}/)");
        }

        if (info.Exists)
        {
            if (info.Length < OutputDirectoryWriter.GeneratedMarker.Length || !StartsWithMarker(full, out var head))
            {
                return Failed(DiagnosticCodes.OutputPathOccupied,
                    $"{shown} exists and npgen did not write it (it does not start with \"{OutputDirectoryWriter.GeneratedMarker}\"); nothing was written",
                    "npgen only replaces its own files: move it away, or write to another file");
            }

            var existing = OutputRecord.Parse(head);
            if (existing.Intent != record.Intent)
            {
                return Failed(DiagnosticCodes.OutputHoldsOtherOutput,
                    $"{shown} holds intent {TextEscaping.ForLine(existing.Intent ?? "unknown")}'s policies, not intent {TextEscaping.ForLine(record.Intent ?? "unknown")}'s; nothing was written",
                    "give each intent its own output file, e.g. shop-prod.yaml and bookstore-prod.yaml");
            }

            if (existing.Recorded && !existing.SameBuild(record))
            {
                if (!options.ReplaceEnvironment)
                {
                    return Failed(DiagnosticCodes.OutputEnvironmentMismatch,
                        $"{shown} holds intent {TextEscaping.ForLine(record.Intent ?? "unknown")}'s output built for {existing.DescribeBuild()}, but this build is for {record.DescribeBuild()}; writing it would replace those policies",
                        $"{(existing.Environment is { } env ? $"pass --env {TextEscaping.ForLine(env)} to update that output, " : "leave out --env to update that output, ")}write this build to its own file, or pass --replace-environment to replace it deliberately");
                }

                replaced.Add($"intent {TextEscaping.ForLine(record.Intent ?? "unknown")}'s output for {existing.DescribeBuild()} (1 file)");
            }

            if (File.ReadAllBytes(full).AsSpan().SequenceEqual(bytes))
            {
                return new WriteResult([], [name], [], []);
            }
        }

        string? temp = null;
        var created = !Directory.Exists(parent);
        try
        {
            Directory.CreateDirectory(parent);
            temp = Path.Join(parent, TempPrefix + RandomNumberGenerator.GetHexString(12, lowercase: true));
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // rename(2) replaces the directory entry: a link that appeared meanwhile is replaced, not followed.
            File.Move(temp, full, overwrite: true);
            return new WriteResult([name], [], [], []) { Replaced = [.. replaced] };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (temp is not null && File.Exists(temp))
            {
                File.Delete(temp);
            }

            if (created && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }

            return Failed(DiagnosticCodes.OutputWriteFailed, $"could not write {shown}: {e.Message}; it was left as it was",
                "check that the directory is writable and the disk is not full, then run npgen again");
        }
    }

    /// <summary>lstat: a link, dangling or not, to a file or a directory.</summary>
    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static bool StartsWithMarker(string path, out byte[] head)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var buffer = new byte[OutputRecord.HeaderLimit];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        head = buffer[..read];
        return head.AsSpan().StartsWith(Utf8.GetBytes(OutputDirectoryWriter.GeneratedMarker));
    }

    private static WriteResult Failed(string code, string message, string hint)
        => WriteResult.Failed([Diagnostic.Error(code, message, null, hint)]);
}
