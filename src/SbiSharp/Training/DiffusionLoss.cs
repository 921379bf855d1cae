using SbiSharp.Denoising;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>The denoising score-matching loss of one batch, with stratified noise levels.</summary>
/// <remarks>
/// Times are stratified within the batch, uᵢ = (u + i/B) mod 1 (Kingma et al. 2021, arXiv:2107.00630), mapped to λ by the
/// schedule's training distribution; θ_t = αθ + σε; loss = EDM-weighted noise error of the denoised mean.
/// </remarks>
internal static class DiffusionLoss
{
    public static Tensor Compute(NetworkDenoiser denoiser, Tensor theta, Tensor x, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var rows = theta.shape[0];
        var offset = rand(new long[] { 1 }, dtype: theta.dtype, device: theta.device, generator: generator);
        var u = ((offset + arange(rows, dtype: theta.dtype, device: theta.device) / rows) % 1.0).unsqueeze(1);
        var logSnr = denoiser.Schedule.TrainingLogSnr(u);
        var (alpha, sigma) = denoiser.Schedule.Scales(logSnr);
        var noise = randn(theta.shape, dtype: theta.dtype, device: theta.device, generator: generator);
        var thetaT = alpha * theta + sigma * noise;
        var denoised = denoiser.Denoise(thetaT, logSnr, x);
        return denoiser.Preconditioning.Loss(denoised, thetaT, noise, logSnr, alpha, sigma).MoveToOuterDisposeScope();
    }
}
