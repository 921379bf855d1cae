using SbiSharp.Data;
using SbiSharp.Denoising;
using SbiSharp.Networks;
using SbiSharp.Noise;
using SbiSharp.Tasks;
using SbiSharp.Training;
using TorchSharp;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Training;

/// <summary>The trainer on flat parameter/gradient buffers (fused AdamW, EMA and clipping) gives the losses and weights of the
/// per-parameter algorithm it replaced, written out here as the reference, up to float rounding.</summary>
public class FlatBufferEquivalenceTests
{
    private const int Epochs = 3;
    private const int BatchSize = 128;
    private const double WeightDecay = 0.005;
    private static readonly TrainingOptions Options = TrainingOptions.Default with
    {
        Epochs = Epochs, BatchSize = BatchSize, Validation = ValidationSource.None, EarlyStoppingPatience = 0, Seed = 9,
    };

    private static ConditionalNetwork Network() =>
        (NetworkOptions.Default with { Width = 32, Blocks = 2, Dropout = 0.05 }).Create(2, 2, new Generator(4));

    [Fact]
    public void Trainer_OnFlatBuffers_MatchesThePerParameterReference()
    {
        using var data = InMemoryDataset.Simulate(GaussianLinearTask.Create(2).Joint(), 1_280, new Generator(1));
        var objective = new DenoisingObjective(new EdmSchedule(), new EdmParameterization(), new NoiseParameterization(), new EdmWeighting());
        using var network = Network();
        using var average = Network();
        var result = new Trainer(network, average, objective, Options).Run(data, weightDecay: WeightDecay);

        using var referenceNetwork = Network();
        using var referenceAverage = Network();
        var referenceLosses = Reference(referenceNetwork, referenceAverage, objective, data);

        Assert.Equal(Epochs, result.Losses.Count);
        for (int e = 0; e < Epochs; e++)
            Assert.True(Math.Abs(result.Losses[e] - referenceLosses[e]) <= 1e-4 * Math.Abs(referenceLosses[e]), $"epoch {e + 1}: {result.Losses[e]} vs {referenceLosses[e]}");
        foreach (var (a, b) in network.parameters().Zip(referenceNetwork.parameters()).Concat(average.parameters().Zip(referenceAverage.parameters())))
            Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-6), $"weights differ by up to {(a - b).abs().max().item<float>()}");
    }

    /// <summary>Today's algorithm before flat buffers: Adam(W), EMA and clip_grad_norm_ parameter by parameter, the trainer's loop and random-number order.</summary>
    private static List<double> Reference(ConditionalNetwork network, ConditionalNetwork average, ITrainingObjective objective, InMemoryDataset data)
    {
        var parameters = network.parameters().ToArray();
        var targets = average.parameters().ToArray();
        var m = parameters.Select(p => zeros_like(p)).ToArray();
        var v = parameters.Select(p => zeros_like(p)).ToArray();
        using (no_grad())
            for (int i = 0; i < parameters.Length; i++) targets[i].copy_(parameters[i]);
        int batchesPerEpoch = (int)((data.Count!.Value + BatchSize - 1) / BatchSize);
        var lr = new WarmupCosineSchedule(Options.LearningRate, (long)batchesPerEpoch * Epochs, Options.WarmupFraction, Options.WarmupStartFactor);
        using var generator = new Generator((ulong)Options.Seed);
        network.DropoutGenerator = generator;
        var losses = new List<double>();
        long step = 0;
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            network.train();
            double sum = 0;
            int count = 0;
            foreach (var batch in data.Batches(BatchSize, batchesPerEpoch, generator))
            {
                using var scope = NewDisposeScope();
                using (batch)
                {
                    var rate = lr.At(step);
                    foreach (var p in parameters) p.grad?.zero_();
                    var loss = objective.Loss(network, batch.Theta, batch.X, generator);
                    sum += loss.item<float>();
                    count++;
                    loss.backward();
                    nn.utils.clip_grad_norm_(parameters, Options.GradientClipNorm);
                    step++;
                    using (no_grad())
                    {
                        var c1 = 1 - Math.Pow(0.9, step);
                        var c2 = 1 - Math.Pow(0.999, step);
                        var decay = Math.Min(Options.EmaDecay, (1.0 + step) / (10.0 + step));
                        using var shrink = (1 - rate * WeightDecay).ToScalar();
                        using var beta1 = 0.9.ToScalar();
                        using var oneMinusBeta1 = 0.1.ToScalar();
                        using var beta2 = 0.999.ToScalar();
                        using var oneMinusBeta2 = (1 - 0.999).ToScalar();
                        using var correction2 = c2.ToScalar();
                        using var epsilon = 1e-8.ToScalar();
                        using var stepSize = (-rate / c1).ToScalar();
                        using var keep = decay.ToScalar();
                        using var blend = (1 - decay).ToScalar();
                        for (int i = 0; i < parameters.Length; i++)
                        {
                            var g = parameters[i].grad!;
                            parameters[i].mul_(shrink);
                            m[i].mul_(beta1).add_(g, alpha: oneMinusBeta1);
                            v[i].mul_(beta2).addcmul_(g, g, value: oneMinusBeta2);
                            var denominator = v[i].div(correction2).sqrt_().add_(epsilon, ScalarMath.One);
                            parameters[i].addcdiv_(m[i], denominator, value: stepSize);
                        }
                        for (int i = 0; i < targets.Length; i++) targets[i].mul_(keep).add_(parameters[i], alpha: blend);
                    }
                }
            }
            losses.Add(sum / count);
        }
        network.DropoutGenerator = null;
        foreach (var t in m.Concat(v)) t.Dispose();
        return losses;
    }
}
