using SbiSharp.Internal;
using SbiSharp.Priors;
using SbiSharp.Torch;
using static TorchSharp.torch;

namespace SbiSharp.Spaces;

/// <summary>A per-coordinate bijection between the prior's support and ℝᴰ: θ = T⁻¹(u), u unconstrained.</summary>
/// <remarks>
/// Bounded coordinates are learned in unconstrained space, as sbi's NPE does for box priors (Greenberg et al. 2019; Papamakarios &amp; Murray 2016):
/// a model in u-space cannot put mass outside the support, and its density in θ-space is
/// q(θ) = q_u(T(θ)) / |dθ/du|, with log|dθ/du| = log(b − a) + log σ(u) + log σ(−u) for the logit and u for the two log maps.
/// <see cref="Unconstrained"/> picks logit for a finite interval, log for a half line and the identity for ℝ. Measured on the
/// sbibm box-prior tasks (docs/parameter-space.md), learning θ as it is and rejecting draws outside the box is as good or better
/// on three of four tasks, so estimators use <see cref="Identity(Support)"/> unless told otherwise.
/// </remarks>
public sealed record ParameterTransform
{
    /// <summary>Creates a transform.</summary>
    /// <param name="support">The support of θ.</param>
    /// <param name="kinds">One transform per coordinate; each must fit its interval (logit needs both bounds, log a lower one, negated log an upper one).</param>
    /// <exception cref="ArgumentException">Lengths differ or a transform does not fit its interval.</exception>
    public ParameterTransform(Support support, CoordinateTransform[] kinds)
    {
        ArgumentNullException.ThrowIfNull(support);
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Length != support.Dimension)
            throw new ArgumentException($"`kinds` must have one entry per coordinate ({support.Dimension}); got {kinds.Length}.", nameof(kinds));
        for (int i = 0; i < kinds.Length; i++)
        {
            bool lower = double.IsFinite(support.Lower[i]), upper = double.IsFinite(support.Upper[i]);
            var fits = kinds[i] switch
            {
                CoordinateTransform.Identity => true,
                CoordinateTransform.Logit => lower && upper,
                CoordinateTransform.Log => lower,
                CoordinateTransform.NegatedLog => upper,
                _ => false,
            };
            if (!fits)
                throw new ArgumentException($"`kinds[{i}]` = {kinds[i]} does not fit coordinate {i + 1}'s support {support.Describe(i)}.", nameof(kinds));
        }
        Support = support;
        Kinds = (CoordinateTransform[])kinds.Clone();
    }

    /// <summary>The support of θ.</summary>
    public Support Support { get; }

    /// <summary>The transform of each coordinate.</summary>
    public CoordinateTransform[] Kinds { get; }

    /// <summary>Number of coordinates.</summary>
    public int Dimension => Kinds.Length;

    /// <summary>Whether every coordinate is the identity.</summary>
    public bool IsIdentity => Kinds.All(k => k == CoordinateTransform.Identity);

    /// <summary>The identity on ℝᴰ (what an estimator built from dimensions alone uses).</summary>
    public static ParameterTransform Identity(int dimension) => Identity(Support.Real(dimension));

    /// <summary>The identity on <paramref name="support"/>: draws outside it are rejected when sampling.</summary>
    public static ParameterTransform Identity(Support support) => new(support, new CoordinateTransform[support.Dimension]);

    /// <summary>A map of <paramref name="support"/> onto ℝᴰ: logit on [a, b], log on [a, ∞), negated log on (−∞, b], identity on ℝ.</summary>
    public static ParameterTransform Unconstrained(Support support)
    {
        ArgumentNullException.ThrowIfNull(support);
        var kinds = new CoordinateTransform[support.Dimension];
        for (int i = 0; i < kinds.Length; i++)
        {
            bool lower = double.IsFinite(support.Lower[i]), upper = double.IsFinite(support.Upper[i]);
            kinds[i] = lower && upper ? CoordinateTransform.Logit : lower ? CoordinateTransform.Log : upper ? CoordinateTransform.NegatedLog : CoordinateTransform.Identity;
        }
        return new(support, kinds);
    }

    /// <summary>Maps θ (B, D) inside the support to u (B, D). Values on or beyond a bound are first moved a relative 10⁻⁶ inside it, so the result is finite.</summary>
    public Tensor Forward(Tensor theta)
    {
        Check.Matrix(theta, Dimension, nameof(theta), "to match the parameter transform");
        if (IsIdentity) return theta.alias();
        using var scope = NewDisposeScope();
        var columns = new Tensor[Dimension];
        for (int i = 0; i < Dimension; i++)
        {
            var c = theta.narrow(1, i, 1);
            double a = Support.Lower[i], b = Support.Upper[i];
            columns[i] = Kinds[i] switch
            {
                CoordinateTransform.Logit => Logit(c.Sub(a).Div(b - a).Clamp(Epsilon, 1 - Epsilon)),
                CoordinateTransform.Log => c.Sub(a).ClampMin(Tiny(a)).log(),
                CoordinateTransform.NegatedLog => c.RSub(b).ClampMin(Tiny(b)).log(),
                _ => c,
            };
        }
        return cat(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Maps u (…, D) back to θ in the support; differentiable (guidance takes gradients through it).</summary>
    public Tensor Inverse(Tensor u)
    {
        ArgumentNullException.ThrowIfNull(u);
        CheckLastAxis(u, nameof(u));
        if (IsIdentity) return u.alias();
        using var scope = NewDisposeScope();
        var columns = new Tensor[Dimension];
        for (int i = 0; i < Dimension; i++)
        {
            var c = u.narrow(-1, i, 1);
            double a = Support.Lower[i], b = Support.Upper[i];
            columns[i] = Kinds[i] switch
            {
                CoordinateTransform.Logit => c.sigmoid().Mul(b - a).Add(a),
                CoordinateTransform.Log => c.exp().Add(a),
                CoordinateTransform.NegatedLog => c.exp().RSub(b),
                _ => c,
            };
        }
        return cat(columns, -1).MoveToOuterDisposeScope();
    }

    /// <summary>log|det dθ/du| at u (…, D), shape (…), in u's dtype.</summary>
    public Tensor LogAbsDetInverse(Tensor u)
    {
        ArgumentNullException.ThrowIfNull(u);
        CheckLastAxis(u, nameof(u));
        using var scope = NewDisposeScope();
        var total = zeros(u.shape[..^1], dtype: u.dtype, device: u.device);
        for (int i = 0; i < Dimension; i++)
        {
            var c = u.select(-1, i);
            switch (Kinds[i])
            {
                case CoordinateTransform.Logit:
                    // log σ(u) + log σ(−u) = −softplus(−u) − softplus(u)
                    total = total.Plus(c.Softplus().Plus(c.neg().Softplus()), -1.0).Add(Math.Log(Support.Upper[i] - Support.Lower[i]));
                    break;
                case CoordinateTransform.Log:
                case CoordinateTransform.NegatedLog:
                    total = total.Plus(c);
                    break;
            }
        }
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>u for one value of coordinate <paramref name="index"/> (used to fix a component).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value lies outside the coordinate's support.</exception>
    public double ForwardValue(int index, double value, string parameterName = "value")
    {
        if (index < 0 || index >= Dimension) throw new ArgumentOutOfRangeException(nameof(index), index, $"`index` must lie in [0, {Dimension - 1}]; got {index}.");
        double a = Support.Lower[index], b = Support.Upper[index];
        if (!(value >= a && value <= b))
            throw new ArgumentOutOfRangeException(parameterName, value, $"`{parameterName}` = {value} lies outside coordinate {index + 1}'s support {Support.Describe(index)}.");
        return Kinds[index] switch
        {
            CoordinateTransform.Logit => LogitValue(Math.Clamp((value - a) / (b - a), Epsilon, 1 - Epsilon)),
            CoordinateTransform.Log => Math.Log(Math.Max(value - a, Tiny(a))),
            CoordinateTransform.NegatedLog => Math.Log(Math.Max(b - value, Tiny(b))),
            _ => value,
        };
    }

    /// <summary>Relative distance from a bound that values are moved to (float32 resolves 1 ± 10⁻⁶).</summary>
    private const double Epsilon = 1e-6;

    private static double Tiny(double bound) => Epsilon * Math.Max(1.0, Math.Abs(bound));

    private static double LogitValue(double p) => Math.Log(p) - Math.Log(1 - p);

    private static Tensor Logit(Tensor p)
    {
        using var scope = NewDisposeScope();
        return p.log().Plus(p.RSub(1.0).log(), -1.0).MoveToOuterDisposeScope();
    }

    private void CheckLastAxis(Tensor u, string name)
    {
        if (u.dim() < 1 || u.shape[^1] != Dimension)
            throw new ArgumentException($"`{name}` must have {Dimension} entries in its last axis to match the parameter transform; got {Check.Shape(u)}.", name);
    }
}
