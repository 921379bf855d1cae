using SbiSharp.Data;
using static TorchSharp.torch;
using SbiSharp.Torch;

namespace SbiSharp.Tests.Data;

public class DataTests
{
    [Fact]
    public void Standardizer_FitInBatches_MatchesWholeDataMoments()
    {
        using var g = new Generator(1);
        using var values = (randn(new long[] { 10_000, 3 }, generator: g) * tensor(new[] { 1f, 5f, 0.1f })).Plus(tensor(new[] { 3f, -1f, 0f }));
        var batches = Enumerable.Range(0, 10).Select(i => values.narrow(0, i * 1000, 1000)).ToList();
        var s = Standardizer.Fit(batches);
        using var mean = values.mean(new long[] { 0 });
        using var std = values.std(0);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(mean[j].item<float>(), s.Mean[j], 3);
            Assert.Equal(std[j].item<float>(), s.Std[j], 3);
        }
        using var z = s.Forward(values);
        using var back = s.Inverse(z);
        Assert.True(allclose(back, values, rtol: 1e-4, atol: 1e-4));
        foreach (var b in batches) b.Dispose();
    }

    [Fact]
    public void InMemoryDataset_Split_PartitionsRows()
    {
        using var theta = ScalarMath.Arange(100, dtype: ScalarType.Float32).unsqueeze(1);
        using var x = theta.Mul(2);
        using var data = new InMemoryDataset(theta, x);
        var (train, val) = data.Split(0.2, new Generator(1));
        using (train)
        using (val)
        {
            Assert.Equal(80, train.Count);
            Assert.Equal(20, val.Count);
            using var all = cat(new[] { train.Theta, val.Theta }, 0).sort(0).Values;
            Assert.True(all.squeeze(1).eq(ScalarMath.Arange(100, dtype: ScalarType.Float32)).all().item<bool>());
            Assert.True(train.X.eq(train.Theta.Mul(2)).all().item<bool>());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(1.0));
    }

    [Fact]
    public void InMemoryDataset_NaN_ThrowsWithIndex()
    {
        using var theta = tensor(new[] { 1f, float.NaN, 3f }, new long[] { 3, 1 });
        using var x = ones(3, 1);
        var e = Assert.Throws<ArgumentException>(() => new InMemoryDataset(theta, x));
        Assert.Contains("theta", e.Message);
        Assert.Contains("(1, 0)", e.Message);
    }

    [Fact]
    public void InMemoryDataset_RowMismatch_Throws()
    {
        using var theta = ones(3, 1);
        using var x = ones(4, 1);
        var e = Assert.Throws<ArgumentException>(() => new InMemoryDataset(theta, x));
        Assert.Contains("3 and 4", e.Message);
    }
}
