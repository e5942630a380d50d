using System.Runtime.InteropServices;

namespace PolicyGen.Manifests;

/// <summary>
/// What a path is once symlinks are followed: a regular file, or a FIFO, socket or device whose
/// read may never end (a FIFO blocks until someone writes, /dev/zero never stops). .NET reports
/// all of these as ordinary files (<see cref="FileAttributes.Normal"/>), so the file type comes
/// from stat(2) through the runtime's own native shim, whose <c>FileStatus</c> starts with
/// <c>int32 Flags; int32 Mode</c> on every Unix .NET supports.
/// </summary>
internal static class FileKind
{
    private const int TypeMask = 0xF000; // S_IFMT
    private const int Fifo = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int Directory = 0x4000;
    private const int BlockDevice = 0x6000;
    private const int Regular = 0x8000;
    private const int Socket = 0xC000;

    /// <summary>
    /// Null for a regular file or a directory (or where the type cannot be told, e.g. on Windows);
    /// otherwise what the path is, for a message ("a FIFO").
    /// </summary>
    public static string? NonRegular(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return null;
        }

        var status = new byte[256]; // FileStatus is about 130 bytes; room to spare
        int result;
        try
        {
            result = Stat(path, status);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        if (result != 0)
        {
            return null; // gone or unreadable: the read reports it
        }

        return (BitConverter.ToInt32(status, 4) & TypeMask) switch
        {
            Regular or Directory => null,
            Fifo => "a FIFO (named pipe)",
            Socket => "a socket",
            CharacterDevice => "a character device",
            BlockDevice => "a block device",
            _ => "not a regular file",
        };
    }

    // A blittable byte[] is pinned, so the status written into it is seen without unsafe code.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
}
