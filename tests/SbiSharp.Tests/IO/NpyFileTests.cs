using System.Text;
using SbiSharp.IO;
using SbiSharp.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Tests.IO;

public class NpyFileTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"sbisharp-npy-{Guid.NewGuid():N}-{name}");

    /// <summary>The bytes NumPy writes for np.save(f, np.arange(6, dtype='&lt;f4').reshape(2, 3)): version 1.0, a header padded to 128 bytes.</summary>
    private static byte[] NumpyFile(string descr, string order, string shape, byte[] data, int major = 1)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape}, }}";
        var prefix = major == 1 ? 10 : 12;
        var header = dict + new string(' ', (64 - (prefix + dict.Length + 1) % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.Add((byte)major);
        bytes.Add(0);
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] Floats(params float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Read_NumpysLayout_GivesTheArray_InCAndFortranOrder()
    {
        using var c = NpyFile.Read(new MemoryStream(NumpyFile("<f4", "False", "(2, 3)", Floats(0, 1, 2, 3, 4, 5))), "c");
        Assert.Equal(new long[] { 2, 3 }, c.shape);
        Assert.Equal(ScalarType.Float32, c.dtype);
        Assert.Equal(5f, c[1, 2].item<float>());
        Assert.Equal(3f, c[1, 0].item<float>());
        // Fortran order stores columns first: the same 2×3 array is 0, 3, 1, 4, 2, 5.
        using var f = NpyFile.Read(new MemoryStream(NumpyFile("<f4", "True", "(2, 3)", Floats(0, 3, 1, 4, 2, 5), major: 2)), "f");
        Assert.True(f.equal(c).all().item<bool>());
        using var vector = NpyFile.Read(new MemoryStream(NumpyFile("|b1", "False", "(3,)", new byte[] { 1, 0, 1 })), "b");
        Assert.Equal(new long[] { 3 }, vector.shape);
        Assert.Equal(ScalarType.Bool, vector.dtype);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Bool)]
    public void WriteThenRead_RoundTripsShapeTypeAndValues(ScalarType type)
    {
        var path = Temp("a.npy");
        try
        {
            using var generator = new Generator(3);
            using var values = ScalarMath.Mul(randn(new long[] { 4, 1, 3, 5 }, generator: generator), 3.0).to(type);
            NpyFile.Write(path, values);
            Assert.Equal(0, new FileInfo(path).Length % 1 == 0 ? (10 + BitConverter.ToUInt16(File.ReadAllBytes(path), 8)) % 64 : 1);
            using var back = NpyFile.Read(path);
            Assert.Equal(values.shape, back.shape);
            Assert.Equal(type, back.dtype);
            Assert.True(back.equal(values).all().item<bool>());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BadFiles_AreRefusedWithWhatWasFound()
    {
        Assert.Contains("not an .npy file", Assert.Throws<InvalidDataException>(() => NpyFile.Read(new MemoryStream(Encoding.ASCII.GetBytes("a,b\n1,2\n")), "t.csv")).Message);
        Assert.Contains("holds dtype '>f8'", Assert.Throws<InvalidDataException>(() => NpyFile.Read(new MemoryStream(NumpyFile(">f8", "False", "(1,)", new byte[8])), "big")).Message);
        Assert.Contains("ends early", Assert.Throws<InvalidDataException>(() => NpyFile.Read(new MemoryStream(NumpyFile("<f4", "False", "(2, 3)", Floats(0, 1, 2))), "short")).Message);
        Assert.Throws<FileNotFoundException>(() => NpyFile.Read(Temp("missing.npy")));
        using var half = zeros(2, dtype: ScalarType.Float16);
        Assert.Contains("element type Float16", Assert.Throws<ArgumentException>(() => NpyFile.Write(Temp("h.npy"), half)).Message);
    }
}
