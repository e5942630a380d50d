using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PolicyGen.Cli.Tests.GitOps;

/// <summary>
/// A real Git smart-HTTP server on 127.0.0.1 for the tests: an HttpListener that checks HTTP Basic
/// credentials and runs <c>git http-backend</c> as a CGI program for each request (receive-pack
/// runs the repositories' hooks, as on any Git server). It stops, and waits for its requests to
/// finish, when disposed. <see cref="BeforeRequest"/> lets a test act between requests (to make
/// another writer win a race at a precise moment). <see cref="Stall"/> makes it a server that stops
/// answering, as a hung Git host does, until it is disposed.
/// </summary>
public sealed class GitHttpServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly string root;
    private readonly string user;
    private readonly string password;
    private readonly Task loop;
    private readonly List<Task> requests = [];
    private readonly ManualResetEventSlim stopping = new();
    private int count;

    public GitHttpServer(string root, string user, string password)
    {
        this.root = root;
        this.user = user;
        this.password = password;
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }

        loop = Task.Run(Serve);
    }

    public int Port { get; }

    public string Url(string repository) => $"http://127.0.0.1:{Port}/{repository}";

    public int Requests => count;

    /// <summary>Called with (method, path and query) before a request is handed to git http-backend.</summary>
    public Action<string, string>? BeforeRequest { get; set; }

    /// <summary>How the server misbehaves: not at all, by never answering, or by stopping half-way through an answer.</summary>
    public StallMode Stall { get; set; }

    public void Dispose()
    {
        stopping.Set();
        listener.Stop();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        Task[] pending;
        lock (requests)
        {
            pending = [.. requests];
        }

        Task.WaitAll(pending, TimeSpan.FromSeconds(10));
        try
        {
            listener.Close();
        }
        catch (HttpListenerException)
        {
            // The managed HttpListener re-binds the port while removing prefixes that Stop already
            // removed; if another test has taken the port since, that fails. Nothing is left to close.
        }

        stopping.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var task = Task.Run(() => Handle(context));
            lock (requests)
            {
                requests.Add(task);
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        Interlocked.Increment(ref count);
        var request = context.Request;
        var response = context.Response;
        try
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            if (request.Headers["Authorization"] != expected)
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"npgen-test\"");
                response.Close();
                return;
            }

            if (Stall == StallMode.BeforeAnswer)
            {
                stopping.Wait(); // the connection stays open and silent
                response.Abort();
                return;
            }

            BeforeRequest?.Invoke(request.HttpMethod, request.Url!.PathAndQuery);
            var start = new ProcessStartInfo("git", "http-backend")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["GIT_PROJECT_ROOT"] = root;
            start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
            start.Environment["REMOTE_USER"] = user;
            start.Environment["REMOTE_ADDR"] = "127.0.0.1";
            start.Environment["PATH_INFO"] = Uri.UnescapeDataString(request.Url!.AbsolutePath);
            start.Environment["QUERY_STRING"] = request.Url.Query.TrimStart('?');
            start.Environment["REQUEST_METHOD"] = request.HttpMethod;
            start.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
            start.Environment["GIT_PROTOCOL"] = request.Headers["Git-Protocol"] ?? "";
            if (request.Headers["Content-Encoding"] is { } encoding)
            {
                start.Environment["HTTP_CONTENT_ENCODING"] = encoding;
            }

            using var cgi = Process.Start(start)!;
            var stderr = cgi.StandardError.ReadToEndAsync();
            var body = Task.Run(() =>
            {
                request.InputStream.CopyTo(cgi.StandardInput.BaseStream);
                cgi.StandardInput.Close();
            });
            var output = new MemoryStream();
            cgi.StandardOutput.BaseStream.CopyTo(output);
            body.Wait();
            cgi.WaitForExit();
            _ = stderr.Result;

            // CGI output: headers, a blank line, the body.
            var bytes = output.ToArray();
            var split = IndexOf(bytes, "\r\n\r\n"u8) is var crlf and >= 0 ? (crlf, 4) : (IndexOf(bytes, "\n\n"u8), 2);
            var headerText = Encoding.ASCII.GetString(bytes, 0, Math.Max(split.Item1, 0));
            response.StatusCode = 200;
            foreach (var line in headerText.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains(':', StringComparison.Ordinal)))
            {
                var name = line[..line.IndexOf(':', StringComparison.Ordinal)].Trim();
                var value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
                {
                    response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    response.ContentType = value;
                }
                else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    response.AddHeader(name, value);
                }
            }

            var offset = split.Item1 < 0 ? 0 : split.Item1 + split.Item2;
            response.ContentLength64 = bytes.Length - offset;
            if (Stall == StallMode.MidAnswer && bytes.Length - offset > 8)
            {
                response.OutputStream.Write(bytes, offset, 8);
                response.OutputStream.Flush();
                stopping.Wait(); // headers and a few bytes sent, then silence
                response.Abort();
                return;
            }

            response.OutputStream.Write(bytes, offset, bytes.Length - offset);
            response.Close();
        }
        catch (Exception e) when (e is IOException or HttpListenerException or InvalidOperationException or ObjectDisposedException)
        {
            try
            {
                response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern) => data.AsSpan().IndexOf(pattern);
}
