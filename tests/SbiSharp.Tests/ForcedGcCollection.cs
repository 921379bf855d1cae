namespace SbiSharp.Tests;

/// <summary>
/// Test classes that force full garbage collections (the live-tensor checks call GC.Collect and wait for finalizers). They run
/// alone, after the parallel ones: a forced collection while another thread is inside a libtorch call lets TorchSharp's finalizer
/// free a temporary Scalar that call still reads (TorchSharp 0.107 passes Scalars as bare pointers; see docs/reliability.md; the analyzer SBI001–SBI004 now rules those temporaries out, and GcStressTests checks it).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ForcedGcCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Forced GC";
}
