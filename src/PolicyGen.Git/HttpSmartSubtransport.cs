using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using LibGit2Sharp;
using PolicyGen.Commit;

namespace PolicyGen.Git;

/// <summary>
/// Git's smart HTTP protocol over .NET's HttpClient, registered with libgit2 for http:// and
/// https:// in place of its own transport, for three things libgit2 0.32 through LibGit2Sharp does
/// not give: the server's messages during a push (a hook's stderr arrives on side band 2, which
/// LibGit2Sharp drops for pushes), a private CA given as a PEM file (<c>--ca-file</c>), and clear
/// errors for HTTP 401/403 and TLS failures. Credentials are sent as HTTP Basic; the settings of
/// the operation in progress come from <see cref="Scope"/>, which the repository sets around each
/// network call (libgit2 calls the transport synchronously on the calling thread).
/// </summary>
internal sealed class HttpSmartSubtransport : RpcSmartSubtransport
{
    private static readonly Lock Gate = new();
    private static bool registered;

    [ThreadStatic]
    private static Scope? current;

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (!registered)
            {
                GlobalSettings.RegisterSmartSubtransport<HttpSmartSubtransport>("http");
                GlobalSettings.RegisterSmartSubtransport<HttpSmartSubtransport>("https");
                registered = true;
            }
        }
    }

    protected override SmartSubtransportStream Action(string url, GitSmartSubtransportAction action)
    {
        var scope = current ?? throw new InvalidOperationException("npgen: HTTP transport used outside an operation scope");
        return action switch
        {
            GitSmartSubtransportAction.UploadPackList => new HttpStream(this, scope, url + "/info/refs?service=git-upload-pack", null),
            GitSmartSubtransportAction.UploadPack => new HttpStream(this, scope, url + "/git-upload-pack", "application/x-git-upload-pack-request"),
            GitSmartSubtransportAction.ReceivePackList => new HttpStream(this, scope, url + "/info/refs?service=git-receive-pack", null),
            GitSmartSubtransportAction.ReceivePack => new HttpStream(this, scope, url + "/git-receive-pack", "application/x-git-receive-pack-request", sideband: true),
            _ => throw new InvalidOperationException($"unknown smart transport action {action}"),
        };
    }

    /// <summary>The settings of one network operation, and what the server said during it.</summary>
    internal sealed class Scope : IDisposable
    {
        private readonly Scope? outer;

        public Scope(HttpClient client, GitCredentials credentials, TimeSpan timeout, long maxResponseBytes)
        {
            Client = client;
            Credentials = credentials;
            Timeout = timeout;
            MaxResponseBytes = maxResponseBytes;
            outer = current;
            current = this;
        }

        public HttpClient Client { get; }
        public GitCredentials Credentials { get; }

        /// <summary>How long the server may stay silent: to answer a request, and between two pieces of a response.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The most one response may hold; a response is buffered whole, so this bounds memory.</summary>
        public long MaxResponseBytes { get; }

        /// <summary>Lines the server sent on side band 2 (progress, hook output) during a push.</summary>
        public List<string> RemoteMessages { get; } = [];

        /// <summary>Set when the transport itself failed: what kind of failure, and the message to show.</summary>
        public (GitFailure Failure, string Message)? Failure { get; set; }

        public void Dispose() => current = outer;
    }

    /// <summary>An HttpClient that trusts the system's roots, plus the CA certificates in <paramref name="caFile"/> if given.</summary>
    public static HttpClient CreateClient(string? caFile)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        if (caFile is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    if (errors == SslPolicyErrors.None)
                    {
                        return true;
                    }

                    if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                    {
                        return false;
                    }

                    using var custom = new X509Chain();
                    custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    custom.ChainPolicy.CustomTrustStore.AddRange(roots);
                    custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    if (chain is not null)
                    {
                        custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
                    }

                    return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                },
            };
        }

        // The per-request inactivity timeout is the scope's (see HttpStream.Send): a whole clone may take long, a silent server may not.
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("git", "2.0"));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("(npgen)"));
        return client;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "libgit2 frees the stream through Free(), which disposes both buffers.")]
    private sealed class HttpStream(HttpSmartSubtransport transport, Scope scope, string url, string? contentType, bool sideband = false)
        : SmartSubtransportStream(transport)
    {
        private readonly MemoryStream request = new();
        private Stream? response;

        public override int Write(Stream dataStream, long length)
        {
            var buffer = new byte[81920];
            while (length > 0)
            {
                var read = dataStream.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
                if (read == 0)
                {
                    throw new EndOfStreamException("npgen: short read from libgit2");
                }

                request.Write(buffer, 0, read);
                length -= read;
            }

            return 0;
        }

        public override int Read(Stream dataStream, long length, out long bytesRead)
        {
            try
            {
                response ??= Send();
            }
            catch (Exception e) when (scope.Failure is null)
            {
                // libgit2 only sees that the callback failed ("no error"): keep what happened for the message.
                scope.Failure = (GitFailure.Other, $"talking to {RemoteUrl.Redacted(url)} failed: {Innermost(e)}");
                throw;
            }

            var buffer = new byte[(int)Math.Min(81920, length)];
            var read = response.Read(buffer, 0, buffer.Length);
            dataStream.Write(buffer, 0, read);
            bytesRead = read;
            return 0;
        }

        protected override void Free()
        {
            response?.Dispose();
            request.Dispose();
            base.Free();
        }

        private MemoryStream Send()
        {
            var shown = RemoteUrl.Redacted(url);
            using var message = new HttpRequestMessage(contentType is null ? HttpMethod.Get : HttpMethod.Post, url);
            if (contentType is not null)
            {
                message.Content = new ByteArrayContent(request.GetBuffer(), 0, (int)request.Length);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                message.Headers.Accept.ParseAdd(contentType.Replace("-request", "-result", StringComparison.Ordinal));
            }

            if (scope.Credentials.HasPassword)
            {
                var user = scope.Credentials.Username ?? GitCredentials.DefaultUsername;
                message.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{scope.Credentials.Password}")));
            }

            HttpResponseMessage answer;
            using var silence = new CancellationTokenSource(scope.Timeout);
            try
            {
                answer = scope.Client.Send(message, HttpCompletionOption.ResponseHeadersRead, silence.Token);
            }
            catch (OperationCanceledException) when (silence.IsCancellationRequested)
            {
                throw TimedOut(shown);
            }
            catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException || e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                throw Failed(GitFailure.Certificate, $"the TLS certificate of {Host(url)} is not trusted ({Innermost(e)})");
            }
            catch (HttpRequestException e)
            {
                throw Failed(GitFailure.Other, $"could not reach {shown}: {Innermost(e)}");
            }

            using (answer)
            {
                if (answer.StatusCode == HttpStatusCode.Unauthorized)
                {
                    throw Failed(GitFailure.Authentication, scope.Credentials.HasPassword
                        ? $"authentication to {shown} failed (HTTP 401): the server refused the user name and password or token from NPGEN_GIT_USERNAME/NPGEN_GIT_PASSWORD"
                        : $"{shown} requires authentication (HTTP 401), and no credentials were given: set NPGEN_GIT_USERNAME and NPGEN_GIT_PASSWORD");
                }

                if (answer.StatusCode == HttpStatusCode.Forbidden)
                {
                    throw Failed(GitFailure.Authentication, $"access to {shown} denied (HTTP 403): the credentials are valid but lack the permission (a token needs write access to push)");
                }

                if (!answer.IsSuccessStatusCode)
                {
                    throw Failed(GitFailure.Other, $"{shown} answered HTTP {(int)answer.StatusCode} {answer.ReasonPhrase}");
                }

                var body = new MemoryStream();
                try
                {
                    using var stream = answer.Content.ReadAsStream(silence.Token);
                    var chunk = new byte[81920];
                    int read;
                    silence.CancelAfter(scope.Timeout);
                    while ((read = stream.ReadAsync(chunk, silence.Token).AsTask().GetAwaiter().GetResult()) > 0)
                    {
                        if (body.Length + read > scope.MaxResponseBytes)
                        {
                            throw Failed(GitFailure.Other,
                                $"{shown} sent more than {scope.MaxResponseBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes in one answer, the most npgen reads (NPGEN_GIT_MAX_RESPONSE raises it)");
                        }

                        body.Write(chunk, 0, read);
                        silence.CancelAfter(scope.Timeout); // the clock restarts with every piece that arrives
                    }
                }
                catch (OperationCanceledException) when (silence.IsCancellationRequested)
                {
                    throw TimedOut(shown);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw Failed(GitFailure.Other, $"the connection to {shown} broke while reading its answer: {Innermost(e)}");
                }

                body.Position = 0;
                if (sideband)
                {
                    scope.RemoteMessages.AddRange(SideBandMessages(body.GetBuffer().AsSpan(0, (int)body.Length)));
                }

                return body;
            }
        }

        private InvalidOperationException TimedOut(string shown)
            => Failed(GitFailure.Timeout, $"{shown} did not answer for {Seconds(scope.Timeout)} (--timeout, or NPGEN_GIT_TIMEOUT)");

        private static string Seconds(TimeSpan timeout)
            => timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.#} s" : $"{timeout.TotalMilliseconds:0} ms";

        private InvalidOperationException Failed(GitFailure failure, string text)
        {
            scope.Failure = (failure, text);
            return new InvalidOperationException(text);
        }

        private static string Host(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : url;

        private static string Innermost(Exception e)
        {
            while (e.InnerException is not null)
            {
                e = e.InnerException;
            }

            return e.Message;
        }
    }

    /// <summary>
    /// The text of side band 2 (progress and messages, such as a hook's stderr) and 3 (fatal errors)
    /// in a receive-pack response: pkt-lines whose first payload byte is the band.
    /// </summary>
    internal static IEnumerable<string> SideBandMessages(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder();
        var position = 0;
        while (position + 4 <= data.Length)
        {
            if (!int.TryParse(Encoding.ASCII.GetString(data.Slice(position, 4)), System.Globalization.NumberStyles.HexNumber, null, out var length))
            {
                break;
            }

            if (length < 4)
            {
                position += 4; // flush (0000), delimiter (0001) or response end (0002)
                continue;
            }

            if (position + length > data.Length)
            {
                break;
            }

            var payload = data.Slice(position + 4, length - 4);
            if (payload.Length > 0 && payload[0] is 2 or 3)
            {
                text.Append(Encoding.UTF8.GetString(payload[1..]));
            }

            position += length;
        }

        return text.ToString().Split('\n', '\r').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
    }
}
