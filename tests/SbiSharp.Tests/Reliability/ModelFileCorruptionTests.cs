using System.Text;
using SbiSharp.Tests.Cli;
using SbiSharp.Estimators;
using SbiSharp.Networks;

namespace SbiSharp.Tests.Reliability;

/// <summary>A model file with a flipped byte, cut short, or with impossible lengths or non-finite weights is refused, never loaded.</summary>
[Collection("Console")]
public class ModelFileCorruptionTests
{
    private static readonly DiffusionEstimatorOptions Tiny = DiffusionEstimatorOptions.Default with { Network = NetworkOptions.Default with { Width = 16, Blocks = 1 } };

    private static (string Dir, string Path, byte[] Bytes) Saved()
    {
        var dir = Directory.CreateTempSubdirectory("sbisharp-model-").FullName;
        var path = Path.Combine(dir, "model.sbis");
        using (var estimator = new DiffusionPosteriorEstimator(2, 3, Tiny)) estimator.Save(path);
        return (dir, path, File.ReadAllBytes(path));
    }

    [Fact]
    public void Load_SavedFile_RoundTripsAndLeavesNoTemporaryFile()
    {
        var (dir, path, _) = Saved();
        using var loaded = DiffusionPosteriorEstimator.Load(path);
        Assert.Equal(3, loaded.ObservationDimension);
        Assert.Equal(new[] { "model.sbis" }, Directory.GetFiles(dir).Select(Path.GetFileName));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.95)]
    [InlineData(1.0)]
    public void Load_OneFlippedByte_IsRefusedAsCorrupted(double where)
    {
        var (dir, path, bytes) = Saved();
        int at = Math.Clamp((int)(where * bytes.Length), 16, bytes.Length - 1);
        bytes[at] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => DiffusionPosteriorEstimator.Load(path));
        Assert.Contains($"The model file '{path}' is corrupted (checksum mismatch", e.Message);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(100)]
    [InlineData(-1)]
    [InlineData(-33)]
    public void Load_CutShort_IsRefusedAsCorrupted(int keep)
    {
        var (dir, path, bytes) = Saved();
        File.WriteAllBytes(path, bytes[..(keep > 0 ? keep : bytes.Length + keep)]);
        var e = Assert.Throws<InvalidDataException>(() => DiffusionPosteriorEstimator.Load(path));
        Assert.Contains("is corrupted", e.Message);
        Directory.Delete(dir, true);
    }

    /// <summary>Version 2 files have no checksum: lengths are bounded by the bytes left and weights must be finite.</summary>
    [Theory]
    [InlineData(int.MaxValue, "claims 2147483647 values")]
    [InlineData(-5, "claims -5 values")]
    [InlineData(0, "has shape")]
    public void Load_Version2WithImpossibleLength_IsRefusedNotOutOfMemory(int length, string expected)
    {
        var (dir, path, bytes) = Saved();
        var (legacy, lengthOffset) = Version2(bytes);
        BitConverter.TryWriteBytes(legacy.AsSpan(lengthOffset), length);
        File.WriteAllBytes(path, legacy);
        var e = Assert.Throws<InvalidDataException>(() => DiffusionPosteriorEstimator.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Load_Version2WithNaNWeights_IsRefused()
    {
        var (dir, path, bytes) = Saved();
        var (legacy, lengthOffset) = Version2(bytes);
        File.WriteAllBytes(path, legacy);
        using (DiffusionPosteriorEstimator.Load(path)) { } // an intact version-2 file still loads
        for (int k = 0; k < 4; k++) legacy[lengthOffset + 4 + k] = 0xFF;
        File.WriteAllBytes(path, legacy);
        var e = Assert.Throws<InvalidDataException>(() => DiffusionPosteriorEstimator.Load(path));
        Assert.Contains("not a finite weight", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Cli_SampleFromCorruptedModel_ExitsTwoWithOneLine()
    {
        var (dir, path, bytes) = Saved();
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var obs = Path.Combine(dir, "obs.csv");
        File.WriteAllText(obs, "a,b,c\n1,2,3\n");
        var (code, _, error) = CliRunner.Run("sample", "--model", path, "--observations", obs, "--out", Path.Combine(dir, "s.csv"));
        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("corrupted", error);
        Assert.False(File.Exists(Path.Combine(dir, "s.csv")));
        Directory.Delete(dir, true);
    }

    /// <summary>The same model as a version-2 file (no checksum), and the offset of its first tensor's length field.</summary>
    private static (byte[] Bytes, int LengthOffset) Version2(byte[] v3)
    {
        var bytes = v3[..^32];
        BitConverter.TryWriteBytes(bytes.AsSpan(8), 2);
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        r.ReadBytes(12);
        r.ReadString(); // kind
        r.ReadString(); // header
        r.ReadInt32(); // sets
        r.ReadString(); // set name
        r.ReadInt32(); // tensors
        r.ReadString(); // tensor name
        int rank = r.ReadInt32();
        for (int k = 0; k < rank; k++) r.ReadInt64();
        return (bytes, (int)r.BaseStream.Position);
    }
}
