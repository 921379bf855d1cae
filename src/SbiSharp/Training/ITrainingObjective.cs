using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>The loss a <see cref="Trainer"/> minimizes: what makes a model family (denoising score matching, flow matching, consistency training, …).</summary>
/// <remarks>
/// The trainer calls <see cref="Loss"/> inside one dispose scope per batch, with the trained module during training and with its
/// average (no gradients) for validation. Draw every random number from the generator it passes (seeded by the trainer) so that
/// training reproduces; return a fresh scalar tensor; never dispose the inputs.
/// </remarks>
public interface ITrainingObjective
{
    /// <summary>The mean loss of one batch, a scalar tensor (with gradients when <paramref name="network"/> is training).</summary>
    /// <param name="network">The trained module, or its average when validating.</param>
    /// <param name="theta">θ of the batch as prepared by the trainer's caller (standardized, unconstrained), (B, Dθ).</param>
    /// <param name="x">x of the batch, (B, Dx).</param>
    /// <param name="generator">The trainer's random source.</param>
    Tensor Loss(nn.Module network, Tensor theta, Tensor x, Generator? generator);

    /// <summary>Whether a lower validation loss means a better model, so that the trainer keeps the best epoch's weights and may stop early (default true).
    /// A consistency loss does not: a constant function is perfectly self-consistent, so those objectives train their full length and keep the last weights.</summary>
    bool SelectsByValidation => true;
}
