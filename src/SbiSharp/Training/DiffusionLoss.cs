using SbiSharp.Denoising;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Training;

/// <summary>The denoising score-matching (or flow-matching) loss of one batch, with stratified noise levels.</summary>
/// <remarks>
/// Times are stratified within the batch, uᵢ = (u + i/B) mod 1 (Kingma et al. 2021, arXiv:2107.00630), mapped to λ by the
/// schedule's training distribution; θ_t = αθ + σε (ε optionally re-paired with θ by mini-batch OT); the loss is
/// mean over rows of w(λ)·c(λ)²·mean_d (D − θ)², where c is the loss parameterization's <see cref="Parameterization.LossScale"/> and w the <see cref="LossWeighting"/>.
/// </remarks>
internal static class DiffusionLoss
{
    public static Tensor Compute(NetworkDenoiser denoiser, DenoisingObjective objective, Tensor theta, Tensor x, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var rows = theta.shape[0];
        var offset = rand(new long[] { 1 }, dtype: theta.dtype, device: theta.device, generator: generator);
        var u = ((offset.Plus(ScalarMath.Arange(rows, dtype: theta.dtype, device: theta.device).Div(rows))).Remainder(1.0)).unsqueeze(1);
        Tensor? density = null;
        if (objective.Proposal is { } proposal)
            (u, density) = proposal.Transform(u);
        var logSnr = denoiser.Schedule.TrainingLogSnr(u);
        var (alpha, sigma) = denoiser.Schedule.Scales(logSnr);
        var noise = randn(theta.shape, dtype: theta.dtype, device: theta.device, generator: generator);
        if (objective.Coupling is { } coupling)
            noise = noise.index_select(0, Sinkhorn.Pairing(theta, noise, x, coupling, generator));
        var thetaT = (alpha * theta).Plus(sigma * noise);
        Tensor? present = objective.ConditionDropout > 0
            ? rand(new[] { rows, 1L }, dtype: theta.dtype, device: theta.device, generator: generator).Ge(objective.ConditionDropout).to(theta.dtype)
            : null;
        var denoised = denoiser.Denoise(thetaT, logSnr, x, present);
        var factor = objective.Loss.LossScale(logSnr, alpha, sigma);
        var weight = objective.Weighting.Weight(denoiser.Schedule, logSnr, u) * factor.Square();
        if (density is not null)
            weight = weight / density;
        var perRow = (denoised - theta).Square().mean(new long[] { 1 }, keepdim: true);
        return (weight * perRow).mean().MoveToOuterDisposeScope();
    }

}
