using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Torch;

/// <summary>Tensor arithmetic with a .NET number, holding the native <see cref="Scalar"/> for the whole call.</summary>
/// <remarks>
/// TorchSharp 0.107 turns <c>tensor * 2.0</c> (and <c>a + b</c>, <c>t.pow(2)</c>, <c>t.square()</c>) into a temporary
/// <see cref="Scalar"/> whose native handle goes to libtorch while nothing keeps the managed object alive: a garbage
/// collection during the call can run its finalizer and free the value libtorch is still reading (segfaults and "toFloat" on
/// freed memory, seen five times in this project). Every helper here creates its Scalar in a <c>using</c> local, so it lives
/// until the native call has returned. The analyzer SBI001–SBI004 (SbiSharp.Analyzers) rejects the unsafe forms at build time
/// and names these helpers. Each method returns a fresh tensor (the <c>InPlace</c> ones return their receiver) and never
/// disposes its inputs; the <see cref="long"/> overloads keep integer tensors integer.
/// </remarks>
public static class ScalarMath
{
    /// <summary>The number 1 as a Scalar that is never freed (a static root), for <c>alpha</c>/<c>value</c> arguments.</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary>a + b (TorchSharp's <c>a + b</c> makes a temporary Scalar for its implicit alpha = 1).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + alpha · b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add(b, s);
    }

    /// <summary>a + s for a Scalar the caller holds.</summary>
    public static Tensor Plus(this Tensor a, Scalar s) => a.add(s, One);

    /// <summary>a ← a + b; returns a.</summary>
    public static Tensor AddInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a ← a + alpha · b; returns a.</summary>
    public static Tensor AddInPlace(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add_(b, s);
    }

    /// <summary>t², element-wise.</summary>
    public static Tensor Square(this Tensor t) => t.mul(t);

    /// <summary>min(max(t, min), max), element-wise.</summary>
    public static Tensor Clamp(this Tensor t, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return t.clamp(lo, hi);
    }

    /// <summary>min(max(t, min), max), element-wise; integer bounds keep integer tensors integer.</summary>
    public static Tensor Clamp(this Tensor t, long min, long max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return t.clamp(lo, hi);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(long[] shape, double value, ScalarType? dtype = null, Device? device = null)
    {
        using var s = value.ToScalar();
        return full(shape, s, dtype: dtype, device: device);
    }

    /// <summary>A 1-D tensor of <paramref name="size"/> elements, each <paramref name="value"/>.</summary>
    public static Tensor Full(long size, double value, ScalarType? dtype = null, Device? device = null) => Full(new[] { size }, value, dtype, device);

    /// <summary>A (rows, columns) tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(long rows, long columns, double value, ScalarType? dtype = null, Device? device = null) => Full(new[] { rows, columns }, value, dtype, device);

    /// <summary>A tensor shaped like <paramref name="like"/> filled with <paramref name="value"/>.</summary>
    public static Tensor FullLike(Tensor like, double value)
    {
        using var s = value.ToScalar();
        return full_like(like, s);
    }

    /// <summary>t with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor MaskedFill(this Tensor t, Tensor mask, double value)
    {
        using var s = value.ToScalar();
        return t.masked_fill(mask, s);
    }

    /// <summary>0, 1, …, n − 1 (TorchSharp's <c>arange(n)</c> makes temporary Scalars for its start and step).</summary>
    public static Tensor Arange(long n, ScalarType? dtype = null, Device? device = null)
    {
        using var start = 0.ToScalar();
        using var stop = n.ToScalar();
        using var step = 1.ToScalar();
        return arange(start, stop, step, dtype: dtype, device: device);
    }

    /// <summary>softplus(t) = log(1 + exp(β t)) / β, and t where β t exceeds 20 (torch's definition): libtorch's own fused, vectorized kernel (one op forward, one backward).</summary>
    /// <remarks>TorchSharp's <c>softplus</c> takes doubles and makes temporary Scalars that the GC can free while libtorch reads them; this calls the same
    /// native function with Scalars held for the whole call (the one piece of hand-written interop: TorchSharp exposes no overload taking Scalars).
    /// The decomposed form (clamp, exp, log1p, where) costs five ops each way; <c>logaddexp(βt, 0)</c> is one op but a slow kernel at sampling's batch sizes.</remarks>
    public static Tensor Softplus(this Tensor t, double beta = 1)
    {
        ArgumentNullException.ThrowIfNull(t);
        using var b = beta.ToScalar();
        using var threshold = 20.0.ToScalar();
        var result = NativeSoftplus(t.Handle, ScalarHandle(b), ScalarHandle(threshold));
        GC.KeepAlive(t);
        GC.KeepAlive(b);
        GC.KeepAlive(threshold);
        if (result == IntPtr.Zero) torch.CheckForErrors();
        return Tensor.UnsafeCreateTensor(result);
    }

    [System.Runtime.InteropServices.DllImport("LibTorchSharp", EntryPoint = "THSTensor_softplus")]
    private static extern IntPtr NativeSoftplus(IntPtr tensor, IntPtr beta, IntPtr threshold);

    /// <summary>A Scalar's native handle (internal in TorchSharp).</summary>
    private static readonly Func<Scalar, IntPtr> ScalarHandle = (Func<Scalar, IntPtr>)Delegate.CreateDelegate(typeof(Func<Scalar, IntPtr>),
        typeof(Scalar).GetProperty("Handle", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)?.GetMethod
        ?? throw new MissingMemberException("TorchSharp.Scalar.Handle is gone; SbiSharp's Softplus needs it (TorchSharp 0.107 has it)."));

    /// <summary>mish(t) = t · tanh(softplus(t)) (Misra 2019, arXiv:1908.08681), as TorchSharp's <c>mish</c> without its temporary Scalars.</summary>
    public static Tensor Mish(this Tensor t)
    {
        using var soft = t.Softplus();
        using var gate = soft.tanh();
        return t.mul(gate);
    }

    /// <summary>t · value (a fresh tensor).</summary>
    public static Tensor Mul(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.mul(s);
    }

    /// <summary>t · value (a fresh tensor).</summary>
    public static Tensor Mul(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.mul(s);
    }

    /// <summary>t / value.</summary>
    public static Tensor Div(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.div(s);
    }

    /// <summary>t / value.</summary>
    public static Tensor Div(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.div(s);
    }

    /// <summary>t + value.</summary>
    public static Tensor Add(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.add(s, One);
    }

    /// <summary>t + value.</summary>
    public static Tensor Add(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.add(s, One);
    }

    /// <summary>t − value.</summary>
    public static Tensor Sub(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.sub(s);
    }

    /// <summary>t − value.</summary>
    public static Tensor Sub(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.sub(s);
    }

    /// <summary>value − t.</summary>
    public static Tensor RSub(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.neg().add_(s, One);
    }

    /// <summary>value − t.</summary>
    public static Tensor RSub(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.neg().add_(s, One);
    }

    /// <summary>value / t.</summary>
    public static Tensor RDiv(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.reciprocal().mul_(s);
    }

    /// <summary>value / t.</summary>
    public static Tensor RDiv(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.reciprocal().mul_(s);
    }

    /// <summary>t ^ value.</summary>
    public static Tensor Pow(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.pow(s);
    }

    /// <summary>t ^ value.</summary>
    public static Tensor Pow(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.pow(s);
    }

    /// <summary>t mod value (Python-style, as <c>%</c>).</summary>
    public static Tensor Remainder(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.remainder(s);
    }

    /// <summary>t mod value (Python-style, as <c>%</c>).</summary>
    public static Tensor Remainder(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.remainder(s);
    }

    /// <summary>max(t, value).</summary>
    public static Tensor ClampMin(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.clamp_min(s);
    }

    /// <summary>max(t, value).</summary>
    public static Tensor ClampMin(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.clamp_min(s);
    }

    /// <summary>min(t, value).</summary>
    public static Tensor ClampMax(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.clamp_max(s);
    }

    /// <summary>min(t, value).</summary>
    public static Tensor ClampMax(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.clamp_max(s);
    }

    /// <summary>t &gt; value, element-wise.</summary>
    public static Tensor Gt(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.gt(s);
    }

    /// <summary>t &gt; value, element-wise.</summary>
    public static Tensor Gt(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.gt(s);
    }

    /// <summary>t &lt; value, element-wise.</summary>
    public static Tensor Lt(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.lt(s);
    }

    /// <summary>t &lt; value, element-wise.</summary>
    public static Tensor Lt(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.lt(s);
    }

    /// <summary>t ≥ value, element-wise.</summary>
    public static Tensor Ge(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.ge(s);
    }

    /// <summary>t ≥ value, element-wise.</summary>
    public static Tensor Ge(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.ge(s);
    }

    /// <summary>t ≤ value, element-wise.</summary>
    public static Tensor Le(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.le(s);
    }

    /// <summary>t ≤ value, element-wise.</summary>
    public static Tensor Le(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.le(s);
    }

    /// <summary>t = value, element-wise.</summary>
    public static Tensor Eq(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.eq(s);
    }

    /// <summary>t = value, element-wise.</summary>
    public static Tensor Eq(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.eq(s);
    }

    /// <summary>t ≠ value, element-wise.</summary>
    public static Tensor Ne(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.ne(s);
    }

    /// <summary>t ≠ value, element-wise.</summary>
    public static Tensor Ne(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.ne(s);
    }

    /// <summary>t ← t · value; returns t.</summary>
    public static Tensor MulInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.mul_(s);
    }

    /// <summary>t ← t · value; returns t.</summary>
    public static Tensor MulInPlace(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.mul_(s);
    }

    /// <summary>t ← (t ≥ value) as 1 or 0 in t's own dtype; returns t.</summary>
    public static Tensor GeInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.ge_(s);
    }

    /// <summary>t ← t / value; returns t.</summary>
    public static Tensor DivInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.div_(s);
    }

    /// <summary>t ← t / value; returns t.</summary>
    public static Tensor DivInPlace(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.div_(s);
    }

    /// <summary>t ← t + value; returns t.</summary>
    public static Tensor AddInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.add_(s, One);
    }

    /// <summary>t ← t + value; returns t.</summary>
    public static Tensor AddInPlace(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.add_(s, One);
    }

    /// <summary>t ← t − value; returns t.</summary>
    public static Tensor SubInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.sub_(s);
    }

    /// <summary>t ← t − value; returns t.</summary>
    public static Tensor SubInPlace(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.sub_(s);
    }

    /// <summary>Sets every element of t to value; returns t.</summary>
    public static Tensor FillInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.fill_(s);
    }

    /// <summary>Sets every element of t to value; returns t.</summary>
    public static Tensor FillInPlace(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.fill_(s);
    }

    /// <summary>t ← t ^ value; returns t.</summary>
    public static Tensor PowInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.pow_(s);
    }

    /// <summary>t ← t ^ value; returns t.</summary>
    public static Tensor PowInPlace(this Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.pow_(s);
    }
}
