using System.Runtime.InteropServices;

namespace SbiSharp.Internal;

/// <summary>Keeps glibc from growing the heap without bound under libtorch's pattern of large, short-lived CPU tensors.</summary>
/// <remarks>
/// glibc raises its mmap threshold every time a large mmapped block is freed, after which blocks of that size come from the heap,
/// which fragments: sampling 10,000 draws with 500 steps grew the process to 18 GB (the tensors were all freed; the heap was not
/// returned). Fixing the threshold at 1 MiB (mallopt M_MMAP_THRESHOLD, which also turns off the dynamic adjustment) keeps it at
/// about 0.3 GB. Called from the static constructors of the estimator, the samplers and C2ST; runs once, only on Linux with glibc.
/// </remarks>
internal static class NativeHeap
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h

    private static int _done;

    /// <summary>Sets the threshold once per process.</summary>
    internal static void EnsureConfigured()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _done, 1) == 1) return;
        try
        {
            mallopt(MmapThreshold, 1 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to configure.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
